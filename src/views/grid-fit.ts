// The grid view's geometry: how many columns, and how large each tile, so that every tile has the
// same size and together they fill the area as well as they can. When that would make tiles too
// small to recognise anyone (a phone with more than four people), tiles keep a usable width and
// the grid scrolls inside itself instead.

/** Tiles show 4:3 video (what cameras give by default); wider pictures are cropped to fit. */
export const TILE_ASPECT = 4 / 3;

export interface GridFit {
  columns: number;
  /** Each tile's size in CSS pixels, whole pixels so rounding never adds a row. */
  width: number;
  height: number;
  /** The tiles are taller together than the area: the grid scrolls. */
  scrolls: boolean;
}

export interface GridArea {
  width: number;
  height: number;
  /** The gap between tiles. */
  gap: number;
  /** The narrowest a tile may be before the grid scrolls rather than shrink it further. */
  minTileWidth: number;
  /** Room a scrollbar takes when the grid scrolls (0 where scrollbars overlay the content). */
  scrollbarWidth?: number;
}

export function fitGrid(count: number, { width, height, gap, minTileWidth, scrollbarWidth = 0 }: GridArea): GridFit {
  const n = Math.max(1, Math.floor(count));
  const w = Math.max(0, width);
  const h = Math.max(0, height);
  let best: GridFit = { columns: 1, width: 0, height: 0, scrolls: false };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const cellWidth = (w - gap * (columns - 1)) / columns;
    const cellHeight = (h - gap * (rows - 1)) / rows;
    const tileWidth = Math.floor(Math.min(cellWidth, cellHeight * TILE_ASPECT));
    if (tileWidth > best.width) best = { columns, width: tileWidth, height: Math.floor(tileWidth / TILE_ASPECT), scrolls: false };
  }
  if (best.width >= minTileWidth || w <= 0) return best;
  // Too small to fit them all: as many usable columns as the width (less the scrollbar) takes, and scroll.
  const usable = Math.max(0, w - scrollbarWidth);
  const columns = Math.max(1, Math.min(n, Math.floor((usable + gap) / (minTileWidth + gap))));
  const tileWidth = Math.floor((usable - gap * (columns - 1)) / columns);
  const tileHeight = Math.floor(tileWidth / TILE_ASPECT);
  const rows = Math.ceil(n / columns);
  return { columns, width: tileWidth, height: tileHeight, scrolls: rows * tileHeight + (rows - 1) * gap > h };
}
