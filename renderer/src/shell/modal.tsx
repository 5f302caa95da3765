import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A real modal dialog: drawn outside the app's tree, everything else inert (not reachable by Tab, not
 * read by a screen reader), Tab kept inside, focus moved in on open and given back on close; Escape
 * calls `onEscape` when the dialog may be dismissed.
 */
export function Modal({
  labelledBy,
  testId,
  className = 'modal',
  backdropClassName = '',
  onEscape,
  as = 'div',
  onSubmit,
  children,
}: {
  labelledBy: string;
  testId?: string;
  className?: string;
  backdropClassName?: string;
  onEscape?: () => void;
  as?: 'div' | 'form';
  onSubmit?: (e: React.FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  const box = useRef<HTMLElement | null>(null);
  const escape = useRef(onEscape);
  escape.current = onEscape;

  useEffect(() => {
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const host = box.current?.closest('.modal-host') ?? null;
    // Everything outside the dialog becomes inert (a second dialog on top makes the first inert too).
    const madeInert: Element[] = [];
    for (const el of Array.from(document.body.children)) {
      if (el === host || el.hasAttribute('inert') || el.tagName === 'SCRIPT') continue;
      el.setAttribute('inert', '');
      madeInert.push(el);
    }
    const first =
      box.current?.querySelector<HTMLElement>('[autofocus], [data-autofocus]') ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? box.current)?.focus();
    return () => {
      for (const el of madeInert) el.removeAttribute('inert');
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, []);

  function onKeyDown(e: React.KeyboardEvent) {
    if (e.key === 'Escape' && escape.current) {
      e.preventDefault();
      e.stopPropagation();
      escape.current();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const items = Array.from(box.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (el) => el.offsetParent !== null || el === document.activeElement,
    );
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const firstItem = items[0]!;
    const lastItem = items.at(-1)!;
    if (e.shiftKey && (document.activeElement === firstItem || !box.current.contains(document.activeElement))) {
      e.preventDefault();
      lastItem.focus();
    } else if (!e.shiftKey && (document.activeElement === lastItem || !box.current.contains(document.activeElement))) {
      e.preventDefault();
      firstItem.focus();
    }
  }

  const props = {
    className,
    role: 'dialog',
    'aria-modal': true,
    'aria-labelledby': labelledBy,
    'data-testid': testId,
    tabIndex: -1,
    onKeyDown,
  } as const;
  return createPortal(
    <div className={`modal-host modal-backdrop ${backdropClassName}`.trim()}>
      {as === 'form' ? (
        <form
          {...props}
          ref={(el) => {
            box.current = el;
          }}
          onSubmit={onSubmit}
        >
          {children}
        </form>
      ) : (
        <div
          {...props}
          ref={(el) => {
            box.current = el;
          }}
        >
          {children}
        </div>
      )}
    </div>,
    document.body,
  );
}
