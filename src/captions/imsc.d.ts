// Types for the two imsc modules Tessera uses. imsc's main entry also loads its HTML renderer,
// which needs a DOM (window, navigator) and fails in Node and in workers, so only the document
// parser and the ISD generator are imported, by path. Only what src/captions/ttml.ts reads is typed.

declare module 'imsc/src/main/js/doc.js' {
  /** imsc's error callback: returning true from a handler makes imsc throw the message. */
  export interface ImscErrorHandler {
    info?(message: string): boolean | void;
    warn?(message: string): boolean | void;
    error?(message: string): boolean | void;
    fatal?(message: string): boolean | void;
  }
  /** A length as a linear combination of the root container's width (rw) and height (rh). */
  export interface ImscComputedLength {
    rw: number;
    rh: number;
  }
  export interface ImscDocument {
    /** The times (seconds) at which what is displayed may change, ascending. */
    getMediaTimeEvents(): number[];
    /** Width ÷ height from ittp:aspectRatio / ttp:displayAspectRatio, or null. */
    aspectRatio: number | null;
    cellLength: { h: ImscComputedLength; w: ImscComputedLength };
    pxLength: { h: ImscComputedLength | null; w: ImscComputedLength | null };
    lang: string;
  }
  const imscDoc: {
    /** Throws its fatal problems as strings, sax's as Errors, and a TypeError when the text holds
     *  no <tt> element in the TTML namespace. */
    fromXML(xml: string, errorHandler?: ImscErrorHandler, metadataHandler?: unknown): ImscDocument | null;
  };
  export default imscDoc;
}

declare module 'imsc/src/main/js/isd.js' {
  import type { ImscDocument, ImscErrorHandler } from 'imsc/src/main/js/doc.js';
  /** One element of an intermediate synchronic document: styles are keyed "namespace localName". */
  export interface ImscIsdElement {
    kind: 'region' | 'body' | 'div' | 'p' | 'span' | 'br' | 'image';
    id?: string;
    lang?: string;
    styleAttrs: Record<string, unknown>;
    contents?: ImscIsdElement[];
    text?: string;
  }
  export interface ImscIsd {
    contents: ImscIsdElement[];
    aspectRatio: number | null;
    lang: string;
  }
  const imscIsd: {
    generateISD(doc: ImscDocument, offset: number, errorHandler?: ImscErrorHandler): ImscIsd;
  };
  export default imscIsd;
}
