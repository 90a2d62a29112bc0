// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

const dom = (source: string) => {
  const div = document.createElement('div');
  div.innerHTML = renderMarkdown(source);
  return div;
};

describe('renderMarkdown', () => {
  it('renders markdown: emphasis, lists, code, tables', () => {
    const div = dom('Some **bold** and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(div.querySelector('strong')?.textContent).toBe('bold');
    expect(div.querySelectorAll('li')).toHaveLength(2);
    expect(div.querySelector('td')?.textContent).toBe('1');
  });

  it('keeps raw HTML as text: a <script> never becomes an element', () => {
    const div = dom('Hello <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<iframe src="https://example.com"></iframe>');
    expect(div.querySelector('script, iframe, img')).toBeNull();
    expect(div.textContent).toContain('<script>alert(1)</script>');
    expect(div.querySelector('[onerror]')).toBeNull();
  });

  it('drops javascript: and other unsafe links; safe links open outside the app', () => {
    const div = dom('[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(2)> [rel](data/notes.md) [site](https://example.com/x) <https://example.org>');
    const hrefs = [...div.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs.filter(Boolean)).toEqual(['https://example.com/x', 'https://example.org']);
    const attributes = [...div.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.value));
    expect(attributes.filter((v) => /^\s*(javascript|data|vbscript):/i.test(v))).toEqual([]);
    for (const a of div.querySelectorAll('a[href]')) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it('shows embedded images, and only a note for remote or relative ones', () => {
    const div = dom('![chart](https://tracker.example/p.png) ![local](plot.png) ![ok](data:image/png;base64,iVBORw0KGgo=)');
    const imgs = [...div.querySelectorAll('img')];
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual(['data:image/png;base64,iVBORw0KGgo=']);
    expect([...div.querySelectorAll('.md-image-omitted')].map((s) => s.textContent)).toEqual(['[image: chart not shown]', '[image: local not shown]']);
  });

  it('puts a cell’s headings under the page’s own outline', () => {
    const div = dom('# Title\n\n## Part');
    expect(div.querySelector('h1, h2')).toBeNull();
    expect(div.querySelector('h3')?.className).toBe('md-h1');
    expect(div.querySelector('h4')?.textContent).toBe('Part');
  });
});
