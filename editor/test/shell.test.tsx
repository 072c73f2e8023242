import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SkipLink } from '../src/shell/SkipLink';
import { renderInApp } from './harness';

describe('app shell', () => {
  it('offers a skip link that moves focus to the main region', async () => {
    const user = userEvent.setup();
    renderInApp(
      <>
        <SkipLink />
        <nav>
          <a href="/jobs">Jobs</a>
        </nav>
        <main aria-label="Jobs screen">content</main>
      </>,
    );
    await user.tab();
    const link = await screen.findByRole('link', { name: 'Skip to content' });
    expect(document.activeElement).toBe(link);
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(screen.getByRole('main'));
  });
});
