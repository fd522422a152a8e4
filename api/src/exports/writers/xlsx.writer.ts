import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { RULE_CATALOG, RULE_CODES, toMu } from '../../analysis/rule-catalog.ts';
import { EXPORT_COLUMNS, type ExportColumn } from '../export-columns.ts';
import { LABELS } from '../export-messages.ts';
import { roundTo } from '../export-record.mapper.ts';
import type { ExportRecord, LedgerRow } from '../exports.types.ts';
import { ledgerUnitName, rollUpToTownships, totalOf } from '../ledger-rollup.ts';
import { waitForDrain, type FormatWriter, type WriterContext } from './format-writer.ts';

type Worksheet = ExcelJS.Worksheet;
type CellValue = string | number | Date | null;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const MU = '0.00';
const M2 = '#,##0.00';
const COUNT = '0';

/** A column of the summary or ledger sheet. */
interface AggColumn {
  header: string;
  width: number;
  numFmt?: string;
  /** Figures are summed into the totals row; labels are left blank there. */
  figure?: boolean;
  value(r: LedgerRow, index: number): CellValue;
}

/** Counts, areas, per-rule counts/areas (亩) and the severity split: the columns both aggregate sheets share. */
function figureColumns(): AggColumn[] {
  const cols: AggColumn[] = [
    { header: '图斑数', width: 10, numFmt: COUNT, value: (r) => r.total },
    { header: '新增', width: 7, numFmt: COUNT, value: (r) => r.newCount },
    { header: '存量', width: 7, numFmt: COUNT, value: (r) => r.stockCount },
    { header: '图斑面积（平方米）', width: 14, numFmt: M2, value: (r) => roundTo(r.areaM2, 2) },
    { header: '图斑面积（亩）', width: 12, numFmt: MU, value: (r) => roundTo(toMu(r.areaM2), 4) },
  ];
  for (const code of RULE_CODES) {
    const zh = RULE_CATALOG[code].name.zh;
    cols.push({ header: `${zh}·图斑数`, width: 10, numFmt: COUNT, value: (r) => r.byRule[code]?.count ?? 0 });
    cols.push({ header: `${zh}·面积（亩）`, width: 12, numFmt: MU, value: (r) => roundTo(toMu(r.byRule[code]?.areaM2 ?? 0), 4) });
  }
  cols.push({ header: '情节较轻', width: 10, numFmt: COUNT, value: (r) => r.light });
  cols.push({ header: '情节一般', width: 10, numFmt: COUNT, value: (r) => r.general });
  cols.push({ header: '情节严重', width: 10, numFmt: COUNT, value: (r) => r.serious });
  return cols.map((c) => ({ ...c, figure: true }));
}

function summaryColumns(): AggColumn[] {
  return [
    { header: '序号', width: 6, value: (_r, i) => (i > 0 ? i : null) },
    { header: '区县', width: 12, value: (r) => r.countyName },
    { header: '乡镇（街道）', width: 16, value: (r) => r.townshipName ?? r.districtName },
    { header: '行政区代码', width: 15, value: (r) => r.districtCode },
    { header: '村（社区）数', width: 10, numFmt: COUNT, figure: true, value: (r) => ('units' in r ? (r.units as number) : null) },
    ...figureColumns(),
  ];
}

function ledgerColumns(): AggColumn[] {
  return [
    { header: '序号', width: 6, value: (_r, i) => (i > 0 ? i : null) },
    { header: '区县', width: 12, value: (r) => r.countyName },
    { header: '乡镇（街道）', width: 14, value: (r) => r.townshipName },
    { header: '村（社区）', width: 16, value: (r) => ledgerUnitName(r) },
    { header: '行政区代码', width: 15, value: (r) => r.districtCode },
    ...figureColumns(),
  ];
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  row.height = 32;
  row.eachCell((c) => (c.fill = HEADER_FILL));
}

/**
 * A sheet with frozen header row (and `xSplit` label columns), widths and landscape A4 printing.
 * Number formats are not set as column styles: exceljs would copy them into every cell, header
 * included (GDAL then reads a header cell under a date format as a date).
 */
function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, widths: ReadonlyArray<{ width: number }>, xSplit: number): Worksheet {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit, ySplit: 1 }],
    pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  ws.columns = widths.map((w) => ({ width: w.width }));
  return ws;
}

/**
 * One shared style object per column: exceljs caches style ids by object identity, so sharing
 * them (rather than a copy per cell) saves a style lookup per cell — most of the writing time.
 */
function columnStyles(columns: ReadonlyArray<{ numFmt?: string }>): Array<Partial<ExcelJS.Style>> {
  return columns.map((c) => (c.numFmt ? { numFmt: c.numFmt } : {}));
}

/** Adds and commits a data row with the shared column styles. */
function addStyledRow(ws: Worksheet, values: CellValue[], styles: ReadonlyArray<Partial<ExcelJS.Style>>): void {
  const row = ws.addRow(values);
  for (let i = 0; i < styles.length; i++) row.getCell(i + 1).style = styles[i] as Partial<ExcelJS.Style>;
  row.commit();
}

/** Writes one aggregate sheet (rows, then a bold totals row) and commits it. */
function writeAggregateSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: AggColumn[], rows: readonly LedgerRow[], xSplit: number): void {
  const ws = addSheet(wb, name, columns, xSplit);
  const header = ws.addRow(columns.map((c) => c.header));
  styleHeader(header);
  header.commit();
  const styles = columnStyles(columns);
  rows.forEach((r, i) => addStyledRow(ws, columns.map((c) => c.value(r, i + 1)), styles));
  const total = { ...totalOf(rows), units: rows.reduce((s, r) => s + ('units' in r ? (r.units as number) : 0), 0) };
  const totalStyles = styles.map((st) => ({ ...st, font: { bold: true }, fill: TOTAL_FILL }));
  addStyledRow(ws, columns.map((c, i) => (i === 0 ? LABELS.total : c.figure ? c.value(total, 0) : null)), totalStyles);
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  ws.commit();
}

function detailValue(c: ExportColumn, r: ExportRecord): CellValue {
  const v = r[c.key];
  if (v === null || v === undefined) return null;
  switch (c.type) {
    case 'int':
      return v as number;
    case 'number':
      return roundTo(v as number, c.decimals ?? 6);
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v));
      return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : String(v);
    }
    case 'datetime':
      return r.analysedAtDate;
    default:
      return String(v);
  }
}

/**
 * XLSX through exceljs's streaming writer (no shared strings, rows committed as they come): a
 * summary sheet per township with a totals row, the community ledger (台账) per village/community
 * with severity split, then the detail sheet with frozen header, number formats and widths.
 * The two aggregate sheets come from SQL before the rows stream, so they are written first and
 * the workbook opens on the summary.
 */
export function createXlsxWriter(out: Writable, ctx: WriterContext): FormatWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'LandWatch 土地卫士';
  wb.created = ctx.now;
  wb.modified = ctx.now;
  wb.title = ctx.title;
  writeAggregateSheet(wb, LABELS.sheetSummary, summaryColumns(), rollUpToTownships(ctx.ledger), 3);
  writeAggregateSheet(wb, LABELS.sheetLedger, ledgerColumns(), ctx.ledger, 4);
  const detail = addSheet(wb, LABELS.sheetDetail, EXPORT_COLUMNS, 1);
  const header = detail.addRow(EXPORT_COLUMNS.map((c) => c.zh));
  styleHeader(header);
  header.commit();
  detail.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_COLUMNS.length } };
  const done = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
    out.once('close', () => (out.writableFinished ? resolve() : reject(new Error('the output stream was closed before the export finished'))));
  });
  done.catch(() => undefined); // observed in finish(); an early failure must not be unhandled
  const styles = columnStyles(EXPORT_COLUMNS);
  return {
    async write(records) {
      for (const r of records) addStyledRow(detail, EXPORT_COLUMNS.map((c) => detailValue(c, r)), styles);
      // exceljs buffers committed rows until its zip stream takes them: yield so it can compress, and
      // wait while the sink is full, so a slow client cannot make the rows pile up in memory.
      await new Promise((resolve) => setImmediate(resolve));
      await waitForDrain(out);
    },
    async finish() {
      detail.commit();
      await wb.commit();
      await done;
    },
    async abort() {
      out.destroy();
    },
  };
}
