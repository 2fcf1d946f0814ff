import { describe, it, expect } from 'vitest';
import { describe as describeValue } from '../../../src/errors/describe.js';

describe('describe', () => {
  it('describe quotes strings and names objects', () => {
    expect(describeValue('*x')).toBe("'*x'");
    expect(describeValue(3)).toBe('3');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(new Map())).toBe('[object Map]');
  });
});
