// A small PDF 1.4 writer for text documents (invoices): A4 pages, the standard Helvetica fonts with
// WinAnsiEncoding (German umlauts, ß and € included), lines of text at given positions. No dependencies.

export interface PdfText {
  x: number;
  y: number;
  text: string;
  size?: number;
  bold?: boolean;
  /** Right-align at x. */
  alignRight?: boolean;
}

export interface PdfLine {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PdfPage {
  texts: PdfText[];
  lines?: PdfLine[];
}

const A4 = { width: 595.28, height: 841.89 };

// WinAnsiEncoding differs from Latin-1 in 0x80-0x9F; these are the characters invoices need there.
const winAnsiExtra: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  '„': 0x84,
  '…': 0x85,
  '–': 0x96,
  '—': 0x97,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '™': 0x99,
};

function encodeWinAnsi(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (winAnsiExtra[ch] !== undefined) bytes.push(winAnsiExtra[ch]);
    else if (code >= 0x20 && code <= 0x7e) bytes.push(code);
    else if (code >= 0xa0 && code <= 0xff) bytes.push(code);
    else bytes.push(0x3f); // '?' for what the font cannot show
  }
  return bytes;
}

function pdfString(text: string): string {
  return `(${encodeWinAnsi(text)
    .map((b) =>
      b === 0x28 || b === 0x29 || b === 0x5c
        ? `\\${String.fromCharCode(b)}`
        : b < 0x20 || b > 0x7e
          ? `\\${b.toString(8).padStart(3, '0')}`
          : String.fromCharCode(b),
    )
    .join('')})`;
}

// Helvetica widths (per 1000 em) of ASCII 32..126, for right alignment; other characters count as 556.
const helveticaWidths = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];

function textWidth(text: string, size: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    units += code >= 32 && code <= 126 ? (helveticaWidths[code - 32] as number) : 556;
  }
  return (units * size * (bold ? 1.05 : 1)) / 1000;
}

export function renderPdf(pages: PdfPage[], info: { title: string; author: string; createdAt: Date }): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body) - 1 + 1; // object numbers start at 1
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const fontBold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  const pageIds: number[] = [];
  for (const page of pages) {
    const ops: string[] = ['0 0 0 RG 0.5 w'];
    for (const l of page.lines ?? [])
      ops.push(`${l.x1.toFixed(2)} ${l.y1.toFixed(2)} m ${l.x2.toFixed(2)} ${l.y2.toFixed(2)} l S`);
    for (const t of page.texts) {
      const size = t.size ?? 10;
      const x = t.alignRight ? t.x - textWidth(t.text, size, t.bold) : t.x;
      ops.push(
        `BT /${t.bold ? 'F2' : 'F1'} ${size} Tf ${x.toFixed(2)} ${t.y.toFixed(2)} Td ${pdfString(t.text)} Tj ET`,
      );
    }
    const stream = ops.join('\n');
    const content = add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources << /Font << /F1 ${font} 0 R /F2 ${fontBold} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] =
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  const date = info.createdAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const infoObj = add(
    `<< /Title ${pdfString(info.title)} /Author ${pdfString(info.author)} /Producer (Candor) /CreationDate (D:${date}Z) >>`,
  );

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoObj} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export const pageSize = A4;

export interface PdfInfo {
  title: string;
  author: string;
  createdAt: Date;
}

/** A document's pages and facts before they are written, so that several can go into one file. */
export interface PdfDocument {
  pages: PdfPage[];
  info: PdfInfo;
}

/** Several documents in one file (a print run of invoices and delivery notes): their pages in turn, one title. */
export function renderPdfDocuments(documents: PdfDocument[], info: PdfInfo): Buffer {
  return renderPdf(
    documents.flatMap((d) => d.pages),
    info,
  );
}
