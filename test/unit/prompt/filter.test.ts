import { describe, expect, it } from 'vitest';
import { filterChoices, pickedSummary } from '../../../src/prompt/filter.js';

const CHOICES = [
  { name: 'i-0aaaaaaaaaaaaaaa1  web-1  running', filterText: 'i-0aaaaaaaaaaaaaaa1 web-1 running Env=prod, Role=web' },
  { name: 'i-0aaaaaaaaaaaaaaa2  web-2  stopped', filterText: 'i-0aaaaaaaaaaaaaaa2 web-2 stopped Env=staging' },
  { name: 'i-0aaaaaaaaaaaaaaa3  batch  running' },
];

describe('type-to-filter', () => {
  it('keeps the choices that have every typed word, in any case, anywhere in their text', () => {
    expect(filterChoices(CHOICES, '')).toEqual([0, 1, 2]);
    expect(filterChoices(CHOICES, 'WEB')).toEqual([0, 1]);
    expect(filterChoices(CHOICES, 'web running')).toEqual([0]);
    expect(filterChoices(CHOICES, 'env=prod')).toEqual([0]);
    expect(filterChoices(CHOICES, 'aaa3')).toEqual([2]);
    expect(filterChoices(CHOICES, 'nothing')).toEqual([]);
  });

  it('says how many are picked, and how many of those the filter hides', () => {
    expect(pickedSummary(0, 0)).toBe('');
    expect(pickedSummary(2, 0)).toBe(' • 2 picked');
    expect(pickedSummary(3, 1)).toBe(' • 3 picked (1 hidden by the filter)');
  });
});
