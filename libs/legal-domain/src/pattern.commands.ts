import type { PatternIndicatorRaised } from './pattern.events.js';

export type RaisePatternIndicator = { type: 'RaisePatternIndicator'; data: PatternIndicatorRaised['data'] };

export type PatternCommand = RaisePatternIndicator;
