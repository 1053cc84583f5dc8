// Which clicks a machine made. Mail security gateways (Microsoft Defender Safe Links, Mimecast, Proofpoint,
// Barracuda...) and link previewers fetch the links of a message to check them: counted as readers, they
// would make every edition look read. A click is a machine's when any of these holds:
//  1. its user agent is a known scanner, a bot, a command-line or headless client, or is missing;
//  2. it is part of a burst: BURST_DISTINCT_LINKS or more different links of the same email clicked within
//     BURST_WINDOW_MS of each other (a person reads before choosing a second link; a scanner does not);
//  3. it came less than AFTER_DELIVERY_MS after the email was delivered (or before it: gateways scan
//     while the message is still being delivered), too soon for anyone to have opened and read it.
// The rule looks at every click of one email together, so a later click can turn earlier ones of the
// same burst into machine clicks, and a late `delivered` event can too.
import { normaliseLink } from './click-target.js';

export const BURST_WINDOW_MS = 2_000;
export const BURST_DISTINCT_LINKS = 2;
export const AFTER_DELIVERY_MS = 10_000;

/** User agents of link scanners and non-browser clients, matched case-insensitively anywhere in the string. */
export const SCANNER_USER_AGENTS: readonly RegExp[] = [
  /\bbot\b|[a-z]bot[/-]|crawler|spider|scanner|preview|facebookexternalhit|whatsapp/i,
  /barracuda|mimecast|proofpoint|urldefense|safelinks|forcepoint|fireeye|symantec|trend ?micro|sophos|ironport|cisco|zscaler|checkpoint|appriver|messagelabs/i,
  /headlesschrome|phantomjs|python-requests|python-urllib|aiohttp|go-http-client|okhttp|java\/|curl\/|wget\/|libwww|httpclient|axios\/|node-fetch|undici/i,
  /^mozilla\/4\.0 \(compatible; ms office|microsoft office|ms-office/i,
];

export type MachineReason = 'scanner user agent' | 'burst of links' | 'right after delivery';

export interface ClickFacts {
  readonly at: Date;
  /** The link as clicked; compared normalised, so tracking parameters do not make one link two. */
  readonly link: string;
  readonly userAgent: string | undefined;
}

export function isScannerUserAgent(userAgent: string | undefined): boolean {
  const agent = userAgent?.trim() ?? '';
  return agent === '' || SCANNER_USER_AGENTS.some((pattern) => pattern.test(agent));
}

/** Clicks in [start, start + window]: are there enough different links among them for a burst? */
function burstAt(clicks: readonly ClickFacts[], start: number): boolean {
  const links = new Set<string>();
  for (const click of clicks) {
    const at = click.at.getTime();
    if (at >= start && at <= start + BURST_WINDOW_MS) links.add(normaliseLink(click.link));
  }
  return links.size >= BURST_DISTINCT_LINKS;
}

/**
 * Classifies every click of one email: null for a person, otherwise why it is a machine's. `deliveredAt` is
 * the delivered event's time, or the send time when no delivered event has arrived.
 */
export function classifyClicks(
  clicks: readonly ClickFacts[],
  deliveredAt: Date | undefined,
): (MachineReason | null)[] {
  return clicks.map((click) => {
    if (isScannerUserAgent(click.userAgent)) return 'scanner user agent';
    const at = click.at.getTime();
    // Any window of BURST_WINDOW_MS that contains this click and starts at a click.
    const inBurst = clicks.some((other) => {
      const start = other.at.getTime();
      return start <= at && at - start <= BURST_WINDOW_MS && burstAt(clicks, start);
    });
    if (inBurst) return 'burst of links';
    if (deliveredAt && at - deliveredAt.getTime() < AFTER_DELIVERY_MS) return 'right after delivery';
    return null;
  });
}
