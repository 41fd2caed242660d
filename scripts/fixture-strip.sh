# Sourced by make-fixtures.sh and make-audio-fixtures.sh: the ffmpeg drawbox filters that every
# video fixture carries, so src/media/frame-strip.ts can read the frame number from any frame.
# Needs W, H, CELL_W, STRIP_H and GOP set by the caller.

# FRAME STRIP (after its black band): white reference (cell 0), frame-number bits 15..0 in cells
# 2..17, parity of the bits in cell 18.
frame_strip_boxes() {
  local g=",drawbox=x=0:y=0:w=${CELL_W}:h=${STRIP_H}:color=white:t=fill"
  local parity="" k cell bit
  for ((k = 15; k >= 0; k--)); do
    cell=$((2 + 15 - k))
    bit="mod(floor(n/$((1 << k))),2)"
    parity+="${parity:++}${bit}"
    g+=",drawbox=x=$((cell * CELL_W)):y=0:w=${CELL_W}:h=${STRIP_H}:color=white:t=fill:enable='${bit}'"
  done
  g+=",drawbox=x=$((18 * CELL_W)):y=0:w=${CELL_W}:h=${STRIP_H}:color=white:t=fill:enable='mod(${parity},2)'"
  printf '%s' "$g"
}

# FLASH: everything below the strip pure white on frames n % GOP == 0, n > 0.
flash_box() {
  printf '%s' ",drawbox=x=0:y=${STRIP_H}:w=${W}:h=$((H - STRIP_H)):color=white:t=fill:enable='gt(n,0)*eq(mod(n,${GOP}),0)'"
}
