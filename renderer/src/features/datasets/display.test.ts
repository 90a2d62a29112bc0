import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent } from '../../ui/format.js';
import { binLabel, binTick, formatCell, formatPsi, formatScalar } from './display.js';
import { joinPath, splitPath } from './FilePicker.js';

describe('dataset display helpers', () => {
  it('formats profile values by kind', () => {
    expect(formatScalar(1234567.891, 'number')).toBe('1,234,567.9');
    expect(formatScalar(0.000012, 'number')).toBe('1.20e-5');
    expect(formatScalar('2024-03-01T14:05:00.000Z', 'timestamp')).toBe('2024-03-01 14:05');
    expect(formatScalar('2024-03-01T14:05:09Z', 'timestamp')).toBe('2024-03-01 14:05:09');
    expect(formatScalar('2024-03-01', 'date')).toBe('2024-03-01');
    expect(formatScalar(null, 'text')).toBe('—');
    expect(formatScalar(true, 'boolean')).toBe('true');
  });

  it('labels histogram bins of numbers and dates', () => {
    expect(binLabel({ lower: 10, upper: 20.5, count: 3 }, 'number')).toBe('10 – 20.5');
    expect(binLabel({ lower: '2024-01-01', upper: '2024-02-01', count: 3 }, 'date')).toBe('2024-01-01 – 2024-02-01');
    expect(binTick(12_500, 'number')).toBe('12.5K');
    expect(binTick('2024-01-01T00:00:00Z', 'timestamp')).toBe('2024-01-01');
  });

  it('formats sample cells, PSI values, numbers and shares', () => {
    expect(formatCell(0.1 + 0.2)).toBe('0.3');
    expect(formatCell(null)).toBe('');
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
    expect(formatPsi(0.00001)).toBe('<0.001');
    expect(formatPsi(0.2567)).toBe('0.257');
    expect(formatNumber(-0.5)).toBe('-0.5');
    expect(formatPercent(0.0004)).toBe('<0.1%');
    expect(formatPercent(0.031)).toBe('3.1%');
    expect(formatPercent(0.5)).toBe('50%');
  });

  it('joins and splits paths of the backend’s machine, POSIX or Windows', () => {
    expect(joinPath('/home/ana', 'a.csv')).toBe('/home/ana/a.csv');
    expect(joinPath('/', 'etc')).toBe('/etc');
    expect(joinPath('C:\\Users\\ana', 'a.csv')).toBe('C:\\Users\\ana\\a.csv');
    expect(splitPath('/home/ana/a.csv')).toEqual(['/home/ana', 'a.csv']);
    expect(splitPath('/a.csv')).toEqual(['/', 'a.csv']);
    expect(splitPath('/home/ana/data/')).toEqual(['/home/ana', 'data']);
    expect(splitPath('C:\\Users\\a.csv')).toEqual(['C:\\Users', 'a.csv']);
    expect(splitPath('C:\\a.csv')).toEqual(['C:\\', 'a.csv']);
  });
});
