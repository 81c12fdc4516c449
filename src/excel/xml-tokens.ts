/**
 * A streaming tokenizer for the XML an .xlsx holds: elements, attributes, text, entities, CDATA.
 * It keeps no more than one tag and a few characters of text between writes, so a 300 MB text
 * node costs the caller only what the caller keeps of it (the import keeps 2,001 characters).
 * Documents with a DOCTYPE are refused: SpreadsheetML never has one, and no entity is defined
 * beyond XML's five.
 */
export interface XmlHandler {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Text, possibly in several pieces; entities already decoded. */
  text(piece: string): void;
}

export class XmlSyntaxError extends Error {}

/** Longest tag (with its attributes) kept while waiting for its end. */
const MAX_TAG = 64 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML's five entities and character references; a bad reference is a syntax error. */
function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]+);/g, (m, e: string) => {
    if (e[0] !== '#') {
      const v = ENTITIES[e];
      if (v === undefined) throw new XmlSyntaxError(`unknown entity ${m}`);
      return v;
    }
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      throw new XmlSyntaxError(`bad character reference ${m}`);
    return String.fromCodePoint(code);
  });
}

/** Local name without a namespace prefix: `x:row` → `row`. */
const localName = (qname: string): string => {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
};

const attrPatterns = new Map<string, RegExp>();

/** One attribute's decoded value from a tag's attribute text (any namespace prefix), or undefined. */
export function attr(attrs: string, name: string): string | undefined {
  let re = attrPatterns.get(name);
  if (!re) {
    re = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    attrPatterns.set(name, re);
  }
  const m = re.exec(attrs);
  return m ? decodeEntities(m[1] ?? m[2]) : undefined;
}

/** End of the tag that starts at `from` ('<'), skipping '>' inside quoted values; -1 if not yet complete. */
function tagEnd(s: string, from: number): number {
  let quote = '';
  for (let i = from + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quote) {
      if (s[i] === quote) quote = '';
    } else if (c === 62 /* > */) return i;
    else if (c === 34 /* " */ || c === 39 /* ' */) quote = s[i];
  }
  return -1;
}

export class XmlTokenizer {
  private buf = '';

  constructor(private readonly handler: XmlHandler) {}

  write(chunk: string): void {
    const s = this.buf + chunk;
    this.buf = '';
    let pos = 0;
    const n = s.length;
    while (pos < n) {
      const lt = s.indexOf('<', pos);
      if (lt < 0) {
        // text up to the end; hold back an entity cut by the chunk boundary
        const amp = s.lastIndexOf('&');
        const keepFrom = amp >= pos && s.indexOf(';', amp) < 0 && n - amp <= 12 ? amp : n;
        if (keepFrom > pos) this.handler.text(decodeEntities(s.slice(pos, keepFrom)));
        this.buf = s.slice(keepFrom);
        return;
      }
      if (lt > pos) this.handler.text(decodeEntities(s.slice(pos, lt)));
      pos = lt;
      const next = s.charCodeAt(lt + 1);
      if (next === 33 /* ! */) {
        const done = this.special(s, lt);
        if (done < 0) break;
        pos = done;
        continue;
      }
      const end = next === 63 /* ? */ ? s.indexOf('?>', lt) : tagEnd(s, lt);
      if (end < 0) break;
      if (next === 63) {
        pos = end + 2;
        continue;
      }
      if (next === 47 /* / */) {
        this.handler.close(localName(s.slice(lt + 2, end).trim()));
      } else {
        const selfClosing = s.charCodeAt(end - 1) === 47;
        const body = s.slice(lt + 1, selfClosing ? end - 1 : end);
        let k = 0;
        while (k < body.length && !/\s/.test(body[k])) k++;
        const name = localName(body.slice(0, k));
        if (!name) throw new XmlSyntaxError('empty tag name');
        this.handler.open(name, body.slice(k), selfClosing);
        if (selfClosing) this.handler.close(name);
      }
      pos = end + 1;
    }
    this.buf = s.slice(pos);
    if (this.buf.length > MAX_TAG) throw new XmlSyntaxError('tag too long');
  }

  /** `<!--…-->`, `<![CDATA[…]]>`; a DOCTYPE is refused. Returns where to go on, or -1 for more input. */
  private special(s: string, lt: number): number {
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      return end < 0 ? -1 : end + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      if (end < 0) return -1;
      this.handler.text(s.slice(lt + 9, end));
      return end + 3;
    }
    if (s.length - lt < 9) return -1;
    throw new XmlSyntaxError('DOCTYPE or unknown declaration');
  }

  end(): void {
    if (this.buf.trim()) {
      if (this.buf.includes('<')) throw new XmlSyntaxError('unexpected end of document');
      this.handler.text(decodeEntities(this.buf));
    }
    this.buf = '';
  }
}
