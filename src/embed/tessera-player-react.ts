// Library entry: <TesseraPlayer> for React pages (it registers <tessera-player> too).
export { TesseraPlayer, type TesseraPlayerProps } from './react';
export type { TesseraPlayerElement } from './element';
export type * from './types';
