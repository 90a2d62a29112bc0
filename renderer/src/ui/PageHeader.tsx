import type { ReactNode, Ref } from 'react';

export interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  headingId?: string;
  headingRef?: Ref<HTMLHeadingElement>;
}

export function PageHeader({ title, description, actions, headingId, headingRef }: PageHeaderProps) {
  return (
    <div className="page-header">
      <div className="page-header__text">
        <h1 id={headingId} ref={headingRef} tabIndex={-1} className="page-header__title">
          {title}
        </h1>
        {description && <p className="page-header__description">{description}</p>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </div>
  );
}
