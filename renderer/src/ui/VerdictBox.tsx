import type { ComponentType, ReactNode } from 'react';
import { cx } from './cx.js';
import type { IconProps } from './icons.js';
import './verdict-box.css';

export interface VerdictBoxProps {
  tone: 'success' | 'warning' | 'danger';
  Icon: ComponentType<IconProps>;
  /** The id of the heading inside `text` that names the box. */
  headingId: string;
  /** data-verdict, for styles and tests. */
  state: string;
  className?: string;
  /** Beside the icon: the heading, the sentence, when. */
  text: ReactNode;
  /** On the right: the key figure (use verdict-box__figure and __number), and actions. */
  aside?: ReactNode;
  /** Below: facts, actions. */
  children?: ReactNode;
}

/** A verdict, first on its page: the tone on the left edge and the icon, the sentence, the key figure. */
export function VerdictBox({ tone, Icon, headingId, state, className, text, aside, children }: VerdictBoxProps) {
  return (
    <section className={cx('verdict-box', `verdict-box--${tone}`, className)} aria-labelledby={headingId} data-verdict={state}>
      <div className="verdict-box__main">
        <Icon size={22} className="verdict-box__icon" />
        <div className="verdict-box__text">{text}</div>
        {aside && <div className="verdict-box__aside">{aside}</div>}
      </div>
      {children}
    </section>
  );
}
