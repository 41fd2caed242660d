// Run-time choice of the engine build: the SIMD binary where wasm SIMD validates, the scalar one
// elsewhere (older smart-TV engines). Relaxed SIMD is never used: it is not deterministic.
import type { EngineTier } from './engine';

// The smallest module using SIMD: one function `() -> v128` whose body is `v128.const 0`.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code section: body, no locals, v128.const
  ...new Array<number>(16).fill(0), 0x0b, // 16 immediate bytes, end
]);

export function wasmSimdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

export type TierRequest = EngineTier | 'auto';

export function chooseTier(request: TierRequest = 'auto'): EngineTier {
  if (request !== 'auto') return request;
  return wasmSimdSupported() ? 'simd' : 'scalar';
}
