// Library entry: <tessera-player> (registered on import) and its public types.
export { TAG_NAME, TesseraPlayerElement, defineTesseraPlayer } from './element';
export type { EmbedViewerContext, PlayerAttributeProps } from './attributes';
export type * from './types';
