// The stylesheet <tessera-player> adopts into its shadow root: the app's (src/ui/styles.css) with
// its :root rules moved onto the host element, plus the embedding adjustments (embed.css). A
// constructed stylesheet, never a <style> element, so a page's CSP needs no 'unsafe-inline'.
import appCss from '../ui/styles.css?inline';
import embedCss from './embed.css?inline';

/** The app's CSS for a shadow root: `:root` (the page) is `:host` (the element) there. */
export function shadowCss(css: string): string {
  return css.replace(/:root\b/g, ':host');
}

let shared: CSSStyleSheet | null = null;

/** One sheet shared by every player on the page. */
export function playerStyleSheet(): CSSStyleSheet {
  if (!shared) {
    shared = new CSSStyleSheet();
    shared.replaceSync(`${shadowCss(appCss)}\n${embedCss}`);
  }
  return shared;
}
