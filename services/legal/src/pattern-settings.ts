// When legal raises pattern indicators, from the environment, checked at start-up:
//   PATTERN_THRESHOLD           people of one release batch affected by one practice (default 10)
//   PERIOD_PATTERN_THRESHOLD    people released within one period, any batch or none (default 10)
//   PERIOD_PATTERN_WINDOW_DAYS  the length of a release period in days (default 30); periods are
//                               consecutive windows counted from 1970-01-01 UTC
// Changing the window or a threshold applies to people counted from then on; a rebuild of the
// person_facts read model counts everyone again with the settings of its run.
import { defaultPatternThreshold, defaultPeriodPatternThreshold, defaultPeriodPatternWindowDays } from '@homeward/legal-domain';
import type { PatternSettings } from './person-facts/person-facts.read-model.js';

function wholeNumberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, what: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of ${what}, 1 or more`);
  return value;
}

const patternThresholdFrom = (env: NodeJS.ProcessEnv = process.env) =>
  wholeNumberFrom(env, 'PATTERN_THRESHOLD', defaultPatternThreshold, 'people');

export function patternSettingsFrom(env: NodeJS.ProcessEnv = process.env): PatternSettings {
  return {
    batchThreshold: patternThresholdFrom(env),
    periodThreshold: wholeNumberFrom(env, 'PERIOD_PATTERN_THRESHOLD', defaultPeriodPatternThreshold, 'people'),
    periodWindowDays: wholeNumberFrom(env, 'PERIOD_PATTERN_WINDOW_DAYS', defaultPeriodPatternWindowDays, 'days'),
  };
}
