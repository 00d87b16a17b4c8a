import { FileUnreadable, problem } from './file-problems.js';

export type Encoding = 'utf-8' | 'windows-1251';

export interface DecodeOptions {
  /** Forced by the user; otherwise detected from the first chunk. */
  encoding?: Encoding | undefined;
  maxBytes: number;
  /** Called with the bytes read so far (the page shows progress). */
  onBytes?: (bytes: number) => void;
}

/** Lines seen so far in decoded text, to name the line of an encoding error. */
const countLines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * Decodes a byte stream chunk by chunk. UTF-8 (with or without BOM) is recognised when the first
 * chunk is valid UTF-8; otherwise it is windows-1251, the encoding Russian banks export in. NUL
 * bytes mean a binary file (or UTF-16, which no bank here writes). A size over the limit stops
 * reading at once.
 */
export async function* decodeChunks(
  source: AsyncIterable<Uint8Array>,
  options: DecodeOptions,
  detected: (encoding: Encoding) => void,
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let bytes = 0;
  let line = 1;
  for await (const chunk of source) {
    bytes += chunk.length;
    options.onBytes?.(bytes);
    if (bytes > options.maxBytes) throw new FileUnreadable(problem(line, null, 'FILE_TOO_LARGE'));
    if (decoder === undefined) {
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
        throw new FileUnreadable(problem(1, null, 'ENCODING_UNSUPPORTED', 'UTF-16'));
      const encoding = options.encoding ?? detect(chunk);
      detected(encoding);
      decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
    }
    if (chunk.includes(0)) throw new FileUnreadable(problem(line, null, 'FILE_BINARY'));
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new FileUnreadable(
        problem(line + firstBadLine(chunk), null, 'ENCODING_INVALID', decoder.encoding),
      );
    }
    line += countLines(text);
    if (text.length > 0) yield text;
  }
  if (decoder === undefined || bytes === 0) throw new FileUnreadable(problem(1, null, 'FILE_EMPTY'));
  try {
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch {
    throw new FileUnreadable(problem(line, null, 'ENCODING_INVALID', decoder.encoding));
  }
}

function detect(first: Uint8Array): Encoding {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(first, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1251';
  }
}

/** Lines before the first byte sequence that is not UTF-8 in a chunk (for the error's line). */
function firstBadLine(chunk: Uint8Array): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let lines = 0;
  let start = 0;
  for (let i = 0; i <= chunk.length; i++) {
    if (i === chunk.length || chunk[i] === 0x0a) {
      try {
        strict.decode(chunk.subarray(start, i));
      } catch {
        return lines;
      }
      lines++;
      start = i + 1;
    }
  }
  return lines;
}
