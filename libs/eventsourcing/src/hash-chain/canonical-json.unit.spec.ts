import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts members by UTF-16 code units and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3 })).toBe(
      '{"\\r":2,"a":[true,null,"x"],"b":1,"\u20ac":1,"\ud83d\ude00":3}',
    );
  });

  it('serialises numbers as ECMAScript does (RFC 8785 appendix B samples)', () => {
    expect(canonicalJson([1e21, 1e-7, 0.000001, -0, 333333333.3333333, 9007199254740992])).toBe(
      '[1e+21,1e-7,0.000001,0,333333333.3333333,9007199254740992]',
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
  });
});
