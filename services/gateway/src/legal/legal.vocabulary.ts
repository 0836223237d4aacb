// What the OpenAPI text says about legal's rules, and how a citation is written in a request. The
// legal words themselves (forums, kinds of evidence, statuses, practices) are @homeward/vocabulary's.

/**
 * What legal's rules flag, for the OpenAPI text (libs/legal-domain/src/rules/legal.rules.ts and
 * its instruments in legal.vocabulary.ts). Belarus ratified the ICCPR (and denounced its First
 * Optional Protocol, in effect 8 February 2023); it is party to neither statelessness convention
 * nor to the Rome Statute, and the Universal Declaration is no treaty: flags on those say so.
 */
export const ruleFlags = {
  'passport-taken-and-deported': 'ICCPR 12(4) and 12(2), once for each deportation without consent once the passport was taken',
  'statelessness-risk':
    '1961 Convention on the Reduction of Statelessness 8(1) and Universal Declaration of Human Rights 15(2), when the documents status ' +
    'becomes at-risk-of-statelessness (the rule identity-documents uses)',
  'return-refused': 'ICCPR 12(4), for each return refused at the border',
} as const;
export const patternRules = {
  'batch-pattern': 'one release batch: PATTERN_THRESHOLD people (default 10)',
  'period-pattern':
    'people released within one period of PERIOD_PATTERN_WINDOW_DAYS days (default 30), in any batch or none: PERIOD_PATTERN_THRESHOLD ' +
    'people (default 10)',
} as const;
const describeRules = (rules: Record<string, string>) =>
  Object.entries(rules)
    .map(([rule, what]) => `rule:${rule}: ${what}`)
    .join('; ');
export const ruleFlagsText = describeRules(ruleFlags);
export const patternRulesText = describeRules(patternRules);

/** A citation as legal records it: "ICCPR 12(4)", "Rome Statute 7(1)(d)", an instrument's name. */
export const citationPattern = /^[A-Za-z0-9 .,()'/_:-]+$/;
export const citationMessage = "$property may hold only letters, digits, spaces and . , ( ) ' / _ : -";
