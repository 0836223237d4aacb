// Prometheus text exposition by hand (no client library): several services' texts become one,
// each metric family once, its TYPE line first and its samples together.

const familyOf = (sample: string) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(sample)?.[0] ?? '';

export function mergeMetrics(texts: readonly string[]): string {
  const types = new Map<string, string>();
  const samples = new Map<string, string[]>();
  for (const text of texts) {
    for (const line of text.split('\n')) {
      const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/.exec(line);
      if (type) {
        types.set(type[1]!, type[2]!);
        if (!samples.has(type[1]!)) samples.set(type[1]!, []);
        continue;
      }
      if (line === '' || line.startsWith('#')) continue;
      const family = familyOf(line);
      if (!samples.has(family)) samples.set(family, []);
      samples.get(family)!.push(line);
    }
  }
  const out: string[] = [];
  for (const [family, lines] of samples) {
    out.push(`# TYPE ${family} ${types.get(family) ?? 'untyped'}`, ...lines);
  }
  return `${out.join('\n')}\n`;
}
