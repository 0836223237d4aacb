// Where a webhook may point: https, to a name or address on the public internet. Checked at
// registration (the URL and a literal address) and again at every delivery (every address the
// name resolves to), so that a webhook cannot be turned into a request to the service's own
// network: loopback, private ranges, link-local, CGNAT, cloud metadata, multicast, broadcast.

/** Why an IP address is not public; `public` is the only one a webhook may reach. */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared' // CGNAT, 100.64.0.0/10
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'metadata'
  | 'reserved'
  | 'invalid';

/** The one development allowance: loopback targets (127.0.0.0/8, ::1, localhost), for a receiver on the same machine. */
export interface WebhookTargetPolicy {
  allowLoopback: boolean;
}

export const publicTargetsOnly: WebhookTargetPolicy = { allowLoopback: false };

/** Why a webhook URL is refused before anything is resolved: https only, and no address or name that can only be internal. */
export type WebhookUrlProblem = 'webhook-url-invalid' | 'webhook-https-required' | 'webhook-address-refused';

function ipv4Bytes(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.map(Number);
}

function ipv6Bytes(text: string): number[] | null {
  if (!/^[0-9a-f:.]+$/i.test(text)) return null; // a zone id (%eth0) is not an address a webhook names
  let groups: string[];
  const double = text.split('::');
  if (double.length > 2) return null;
  const side = (part: string) => (part === '' ? [] : part.split(':'));
  const head = side(double[0]!);
  const tail = double.length === 2 ? side(double[1]!) : [];
  const last = (double.length === 2 ? tail : head).at(-1);
  const embedded = last?.includes('.') ? ipv4Bytes(last) : null;
  if (last?.includes('.') && !embedded) return null;
  const words = (embedded ? 6 : 8) - head.length - tail.length + (embedded ? 1 : 0);
  if (double.length === 2) {
    if (words < 1) return null;
    groups = [...head, ...Array<string>(words).fill('0'), ...tail];
  } else {
    if (words !== 0) return null;
    groups = head;
  }
  if (embedded) groups = groups.slice(0, -1);
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return null;
  const bytes = groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  return embedded ? [...bytes, ...embedded] : bytes;
}

const inV4 = (bytes: readonly number[], prefix: readonly number[], bits: number) => {
  for (let bit = 0; bit < bits; bit += 1) {
    const mask = 0x80 >> (bit % 8);
    if ((bytes[Math.floor(bit / 8)]! & mask) !== (prefix[Math.floor(bit / 8)]! & mask)) return false;
  }
  return true;
};

const v4Ranges: ReadonlyArray<readonly [number[], number, AddressClass]> = [
  [[169, 254, 169, 254], 32, 'metadata'],
  [[255, 255, 255, 255], 32, 'broadcast'],
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 0, 2, 0], 24, 'reserved'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'],
  [[198, 51, 100, 0], 24, 'reserved'],
  [[203, 0, 113, 0], 24, 'reserved'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];

function classifyV4(bytes: readonly number[]): AddressClass {
  return v4Ranges.find(([prefix, bits]) => inV4(bytes, prefix, bits))?.[2] ?? 'public';
}

const metadataV6 = ipv6Bytes('fd00:ec2::254')!;

function classifyV6(bytes: readonly number[]): AddressClass {
  const zeroes = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (zeroes(0, 16)) return 'unspecified';
  if (zeroes(0, 15) && bytes[15] === 1) return 'loopback';
  // An IPv4 address inside an IPv6 one reaches what the IPv4 address reaches: mapped, NAT64, 6to4.
  if (zeroes(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyV4(bytes.slice(12));
  if (inV4(bytes, [0x00, 0x64, 0xff, 0x9b], 32) && zeroes(4, 12)) return classifyV4(bytes.slice(12));
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyV4(bytes.slice(2, 6));
  if (bytes.every((byte, index) => byte === metadataV6[index])) return 'metadata';
  if (bytes[0] === 0xff) return 'multicast';
  if (inV4(bytes, [0xfe, 0x80], 10)) return 'link-local';
  if (inV4(bytes, [0xfc], 7) || inV4(bytes, [0xfe, 0xc0], 10)) return 'private';
  // Only global unicast (2000::/3) is public, less documentation (2001:db8::/32) and Teredo (2001::/32, an IPv4 address hidden inside).
  if (!inV4(bytes, [0x20], 3)) return 'reserved';
  if (inV4(bytes, [0x20, 0x01, 0x0d, 0xb8], 32) || inV4(bytes, [0x20, 0x01, 0x00, 0x00], 32)) return 'reserved';
  return 'public';
}

/** What an IP address (IPv4 dotted, IPv6 with or without brackets) is; `invalid` when it is none. */
export function classifyAddress(address: string): AddressClass {
  const text = address.replace(/^\[(.*)\]$/, '$1');
  const v4 = ipv4Bytes(text);
  if (v4) return classifyV4(v4);
  const v6 = text.includes(':') ? ipv6Bytes(text) : null;
  return v6 ? classifyV6(v6) : 'invalid';
}

/** Whether a webhook may connect to this address under the policy. */
export const isReachableAddress = (address: string, policy: WebhookTargetPolicy): boolean => {
  const kind = classifyAddress(address);
  return kind === 'public' || (kind === 'loopback' && policy.allowLoopback);
};

// Names that only ever mean something inside a network: RFC 6761 localhost, RFC 6762 .local,
// RFC 8375 home.arpa, ICANN's .internal (where cloud metadata lives: metadata.google.internal),
// and the undelegated suffixes networks name their hosts with (.corp, .home, .lan, .intranet).
const internalSuffixes = ['local', 'internal', 'home.arpa', 'corp', 'home', 'lan', 'intranet'];
const metadataNames = ['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal'];

const isLocalhostName = (name: string) => name === 'localhost' || name.endsWith('.localhost');

function nameProblem(name: string, policy: WebhookTargetPolicy): WebhookUrlProblem | null {
  if (metadataNames.includes(name)) return 'webhook-address-refused';
  if (isLocalhostName(name)) return policy.allowLoopback ? null : 'webhook-address-refused';
  // A name without a dot is completed by the resolver's search domains: an internal host.
  if (!name.includes('.') || internalSuffixes.some((suffix) => name === suffix || name.endsWith(`.${suffix}`)))
    return 'webhook-address-refused';
  return null;
}

/** The URL's host as the resolver and the TLS handshake want it: lower case, IPv6 without brackets, no trailing dot. */
export const webhookHostOf = (url: URL) =>
  url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();

/**
 * Checks a webhook URL without resolving it: https, no credentials, and no host that can only be
 * internal (a literal address that is not public, localhost, a metadata name, a dotless or
 * private-use name). A public-looking name is checked again, resolved, at every delivery.
 */
export function webhookUrlProblem(address: string, policy: WebhookTargetPolicy): WebhookUrlProblem | null {
  if (!URL.canParse(address)) return 'webhook-url-invalid';
  const url = new URL(address);
  if (url.protocol !== 'https:') return url.protocol === 'http:' ? 'webhook-https-required' : 'webhook-url-invalid';
  if (url.hostname === '' || url.username !== '' || url.password !== '') return 'webhook-url-invalid';
  const host = webhookHostOf(url);
  // The URL parser has already turned every IPv4 spelling (2130706433, 0x7f.1) into dotted decimal.
  if (classifyAddress(host) !== 'invalid') return isReachableAddress(host, policy) ? null : 'webhook-address-refused';
  return nameProblem(host, policy);
}
