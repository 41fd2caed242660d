// Library entry: <tessera-player> (registered on import) and its public types.
export { TesseraPlayerElement, defineTesseraPlayer } from './element';
export { TAG_NAME } from './attributes';
export type { EmbedViewerContext, PlayerAttributeProps } from './attributes';
export type * from './types';
