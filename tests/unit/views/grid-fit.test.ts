// The grid view's geometry, at a phone's and a desktop's sizes.
import { describe, expect, it } from 'vitest';
import { fitGrid, TILE_ASPECT } from '../../../src/views/grid-fit.ts';

const phone = { width: 358, height: 640, gap: 8, minTileWidth: 170 };
const desktop = { width: 1248, height: 620, gap: 8, minTileWidth: 170 };

/** The tiles' total size as laid out: columns × rows with their gaps. */
const extent = (count: number, fit: ReturnType<typeof fitGrid>, gap: number) => {
  const rows = Math.ceil(count / fit.columns);
  return { width: fit.columns * fit.width + (fit.columns - 1) * gap, height: rows * fit.height + (rows - 1) * gap };
};

describe('fitGrid', () => {
  it.each([1, 2, 4, 9, 16])('on a desktop, %i tiles fit the area without scrolling', (count) => {
    const fit = fitGrid(count, desktop);
    const size = extent(count, fit, desktop.gap);
    expect(fit.scrolls).toBe(false);
    expect(size.width).toBeLessThanOrEqual(desktop.width);
    expect(size.height).toBeLessThanOrEqual(desktop.height);
    expect(fit.width / fit.height).toBeCloseTo(TILE_ASPECT, 1);
  });

  it('picks the columns that make tiles largest: one tile fills the height (whole pixels), two sit side by side', () => {
    expect(fitGrid(1, desktop)).toMatchObject({ columns: 1, height: 619 });
    expect(fitGrid(2, desktop).columns).toBe(2);
  });

  it.each([1, 2, 3, 4])('on a phone, %i tiles fit without scrolling', (count) => {
    const fit = fitGrid(count, phone);
    expect(fit.scrolls).toBe(false);
    expect(extent(count, fit, phone.gap).height).toBeLessThanOrEqual(phone.height);
    expect(fit.width).toBeGreaterThanOrEqual(phone.minTileWidth);
  });

  it('on a phone, 9 tiles keep a usable width and the grid scrolls, its scrollbar beside them', () => {
    const fit = fitGrid(9, { ...phone, scrollbarWidth: 16 });
    expect(fit.width).toBeGreaterThanOrEqual(phone.minTileWidth);
    expect(extent(9, fit, phone.gap).width).toBeLessThanOrEqual(phone.width - 16);
    expect(fit.scrolls).toBe(true);
  });

  it('survives an area not measured yet', () => {
    expect(fitGrid(3, { width: 0, height: 0, gap: 8, minTileWidth: 170 })).toMatchObject({ columns: 1, width: 0 });
  });
});
