/**
 * A server-sent events reader (WHATWG HTML §9.2.6): lines in, events out. Tolerant as the spec asks: comment
 * lines, unknown fields and lines without a colon are ignored; a line longer than `maxLine` or an event whose
 * data grows past `maxEvent` is dropped rather than buffered without bound.
 */
export interface SseEvent {
  type: string;
  id: string | null;
  data: string;
}

export class SseParser {
  private buffer = "";
  private type = "";
  private data: string[] = [];
  private dataSize = 0;
  private id: string | null = null;
  private oversized = false;
  private skippingLine = false;
  /** Lines ignored because they were garbage or too long, for metrics and tests. */
  ignoredLines = 0;

  constructor(private readonly onEvent: (e: SseEvent) => void, private readonly maxLine = 64 * 1024, private readonly maxEvent = 256 * 1024) {}

  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      const line = this.buffer.substring(0, m.index);
      this.buffer = this.buffer.substring(m.index + m[0].length);
      if (this.skippingLine) {
        this.skippingLine = false; // the rest of an over-long line
        continue;
      }
      this.line(line);
    }
    if (this.buffer.length > this.maxLine) {
      this.buffer = "";
      this.skippingLine = true;
      this.ignoredLines++;
    }
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length > 0 && !this.oversized) {
        this.onEvent({ type: this.type === "" ? "message" : this.type, id: this.id, data: this.data.join("\n") });
      }
      this.type = "";
      this.data = [];
      this.dataSize = 0;
      this.oversized = false;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    if (colon < 0) {
      this.ignoredLines++;
      return;
    }
    const field = line.substring(0, colon);
    let value = line.substring(colon + 1);
    if (value.startsWith(" ")) value = value.substring(1);
    switch (field) {
      case "event":
        this.type = value;
        break;
      case "data":
        this.dataSize += value.length;
        if (this.dataSize > this.maxEvent) this.oversized = true;
        else this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.id = value;
        break;
      case "retry":
        break;
      default:
        this.ignoredLines++;
    }
  }
}
