import { describe, expect, it } from 'vitest';
import { highlightPython } from './highlight.js';

const text = (lines: ReturnType<typeof highlightPython>) => lines.map((l) => l.map((t) => t.text).join('')).join('\n');

describe('highlightPython', () => {
  it('classes keywords, strings, numbers and comments, line by line, keeping every character', () => {
    const code = "import pandas as pd\n\ndf = pd.read_csv('a.csv')  # load\nn = 42";
    const lines = highlightPython(code);
    expect(lines).toHaveLength(4);
    expect(text(lines)).toBe(code);
    const classOf = (s: string) => lines.flat().find((t) => t.text === s)?.className;
    expect(classOf('import')).toBe('tok-keyword');
    expect(classOf("'a.csv'")).toBe('tok-string');
    expect(classOf('# load')).toBe('tok-comment');
    expect(classOf('42')).toBe('tok-number');
    expect(classOf('read_csv')).toBe('tok-propertyName');
    expect(lines[1]).toEqual([]);
  });

  it('shows IPython magics and shell escapes as one token without breaking the code around them', () => {
    const lines = highlightPython('%pip install pandas\n!ls data\nx = 1');
    expect(lines[0]).toEqual([{ text: '%pip install pandas', className: 'tok-meta' }]);
    expect(lines[1]).toEqual([{ text: '!ls data', className: 'tok-meta' }]);
    expect(lines[2]!.find((t) => t.text === '1')?.className).toBe('tok-number');
  });

  it('leaves code of other languages plain', () => {
    expect(highlightPython('library(dplyr)\nx <- 1', 'R')).toEqual([[{ text: 'library(dplyr)', className: '' }], [{ text: 'x <- 1', className: '' }]]);
  });
});
