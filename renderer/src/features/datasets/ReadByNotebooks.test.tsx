// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadByNotebooks } from './ReadByNotebooks.js';

afterEach(cleanup);

describe('ReadByNotebooks', () => {
  it('links each notebook version that reads the dataset to its page', () => {
    render(
      <ReadByNotebooks
        links={[
          { kind: 'notebook', name: 'train', version: 2, relation: 'read-by', matchedBy: 'sha256', path: '/data/customers.csv' },
          { kind: 'notebook', name: 'EDA 2024', version: 1, relation: 'read-by', matchedBy: 'path', path: '/data/customers.csv' },
          { kind: 'model', name: 'churn', version: 1, relation: 'read-by', matchedBy: 'path', path: '/data/customers.csv' },
        ]}
      />,
    );
    const section = screen.getByRole('region', { name: 'Read by notebooks' });
    expect(within(section).getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['train v2', '#/notebooks/train@2'],
      ['EDA 2024 v1', '#/notebooks/EDA%202024@1'],
    ]);
  });

  it('shows nothing when no notebook reads it', () => {
    const { container } = render(<ReadByNotebooks links={[]} />);
    expect(container.innerHTML).toBe('');
  });
});
