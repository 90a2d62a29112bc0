// Markdown cells are untrusted text from someone's notebook. markdown-it turns them into HTML
// with raw HTML off (a <script> stays literal text) and its default link check (no javascript:,
// vbscript:, file: or data: links); DOMPurify then cleans the result again. Only that output is
// ever given to dangerouslySetInnerHTML.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

// The page has its own heading outline (h1 the notebook, h2 its sections): a cell's "# Title"
// becomes an h3 that still looks like a first-level heading of the cell.
const demote = (tokens: { tag: string; type: string; attrSet(name: string, value: string): void }[]) => {
  for (const token of tokens) {
    if (token.type !== 'heading_open' && token.type !== 'heading_close') continue;
    const level = Number(token.tag.slice(1));
    token.tag = `h${Math.min(6, level + 2)}`;
    if (token.type === 'heading_open') token.attrSet('class', `md-h${level}`);
  }
};

const SAFE_LINK = /^(?:https?:|mailto:)/i;
const SAFE_IMAGE = /^data:image\/(?:png|jpeg|gif);base64,[a-z0-9+/=\s]+$/i;

let purifier: ReturnType<typeof DOMPurify> | null = null;

/** A DOMPurify of our own, so its hooks touch no other use of the library. */
function getPurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (SAFE_LINK.test(href)) {
        // Never navigate the app itself: the link opens outside it (the desktop app hands it to the system browser).
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      } else {
        // Relative links and #anchors point into the notebook's folder or page, which are not here.
        node.removeAttribute('href');
      }
    }
    if (node.nodeName === 'IMG') {
      // Remote images would be a tracking request (and the CSP refuses them); relative ones are not here.
      const src = node.getAttribute('src') ?? '';
      if (!SAFE_IMAGE.test(src)) {
        const alt = node.getAttribute('alt');
        const note = node.ownerDocument.createElement('span');
        note.className = 'md-image-omitted';
        note.textContent = `[image${alt ? `: ${alt}` : ''} not shown]`;
        node.replaceWith(note);
      }
    }
  });
  purifier = p;
  return p;
}

/** Sanitised HTML for a markdown cell's source. */
export function renderMarkdown(source: string): string {
  const tokens = md.parse(source, {});
  demote(tokens);
  const html = md.renderer.render(tokens, md.options, {});
  return getPurifier().sanitize(html, {
    FORBID_TAGS: ['script', 'style', 'iframe', 'form', 'input', 'button', 'textarea', 'select', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style', 'id', 'name'],
    ALLOW_DATA_ATTR: false,
  });
}
