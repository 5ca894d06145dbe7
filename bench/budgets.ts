import type { FunctionName } from './bundles';

/**
 * Size budgets of the deployed bundles (`functions/<name>.js` in each zip of `serverless package`,
 * minified), in bytes. `test/packaging/package.test.ts` fails above them; `npm run bench` reports
 * against them. Below a budget, the clearer code wins over a shorter one.
 *
 * History, so a raise is a decision and not a drift: `list` and `show` were held to 32 KiB (list
 * 30.3 KB) until the shared request budget per account and region (about 2.2 KB) and the paging and
 * edge hardening (about 1.3 KB) took `list` to 34.4 KB (raised to 36 KiB); then the FunctionGraph
 * agency credentials, the CSMS secret reader and the bounded secret cache (about 4.8 KB) and the
 * keep-alive `node:https` transport (about 0.8 KB) took it to 40.2 KB: 44 KiB. Issue 20's
 * percent-encoding refusals took it to 44.6 KB; issue 17's one HTTP edge (the route table that `ops`
 * and the fleet page share, errors as parts, the shared cold start: about 1.35 KB net) and the
 * throttled-here 429 to 46.2 KB: 46 KiB now. The notifier's ioredis is a file of its own, loaded only
 * for the Redis store, outside this budget.
 *
 * The notifier was 80.8 KB (budget 80 KiB) before issue 11; the lifecycle events (about 2.6 KB),
 * silences and quiet hours with the Intl time-zone code (about 5.8 KB), issue 12's per-destination
 * health, catch-up and counts (about 1 KB) and the stores' `scan` (about 1.3 KB) took it to 93.0 KB:
 * 100 KiB (measured with `serverless package`, test/packaging/package.test.ts). It was 101.96 KB when
 * issue 20's URL policy (the special-purpose address tables over `net.BlockList`, the embedded-IPv4
 * forms, and the node:http(s) transport that connects to the checked addresses: 2.0 KB) took it to
 * 103.98 KB: 104 KiB. Issue 17's one silence service and issue 20's silence bookkeeping (each stored
 * silence read and checked, a malformed one reported; the strict ISO time reader; the glob matcher
 * and its limits: 2.5 KB, the writer left out of the notifier) took it to 107.3 KB: 106 KiB. Issue 22's
 * run coverage (its summary fields and warning) and the delivery reserve sized from the backlog (about
 * 1.8 KB) took it over: 108 KiB. Issue 20's run accounting (a failed run's summary line, the store
 * named by `describeStore`, `leased`: 1.06 KB) took it from 109.9 KB to 111.0 KB: 110 KiB; issue 17's
 * typed readers of the outbox, cursor and seen records (field by field, a malformed record reported
 * instead of cast: 2.7 KB) took it to 113.8 KB: 112 KiB; issue 19's cold-start self-check (the platform
 * and store checks with their fix sentences: 3.9 KB) took it to 117.7 KB: 116 KiB; issue 20's task
 * order (earlier events of a task claimed first, supersession, the in-run wait: 2.0 KB) took it to
 * 119.7 KB: 118 KiB; issue 18's pager check of the paging name, the cluster-safe Redis store (ioredis
 * Cluster, its due list a page at a time, its persistence reading), the first scan's grace window and
 * the look-up of open stuck tasks that end or vanish (about 4.3 KB, esbuild metafile) to about 124 KB:
 * 124 KiB; issue 19's probed paging (the store record read per run, the paging override: about 0.8 KB)
 * took it to 127.1 KB: 128 KiB now. `ops` (the
 * operator API: list/show's HTTP edge, the notify configuration parser, the state store) started at
 * 80 KiB (65.5 KB); the fleet page it serves (issue 13: the HTML views with their CSS and script,
 * about 30 KB, and the DMS client for the live listings, about 11 KB) took it to 107.1 KB
 * (esbuild, minified): 112 KiB. Issue 20's page sessions in the state store and sign-in limits
 * (`pageSessions.ts`, `signInLimit.ts`, `sessionRecords.ts`: about 4.4 KB) took it from 113.2 KB to
 * 117.6 KB: 116 KiB (118.8 KB) now.
 * Issue 19's self-check (lib/ops/doctor: the checks and their fix sentences, 16.4 KB) and test
 * notifications (the channels, the delivery transport and the URL policy the notifier uses, so a test
 * goes the same way: about 20 KB) took `ops` to about 155 KB: 152 KiB; issue 17's typed record readers
 * and the one silence service (2.4 KB) took it to 157.9 KB: 156 KiB now.
 * Issue 18's pager check, cluster-safe Redis store and stuck-task look-ups (about 1.7 KB) took `ops`
 * past 156 KiB: 160 KiB now. `list` grew by the pager's check of the paging parameter name (a page that
 * does not advance asked again under the other name, remembered per endpoint: about 0.9 KB) to
 * 47.4 KB: 48 KiB. Issue 21's operator screen (stuck marks, "+N more", counts by the notifier's
 * mayNotify, the Send test form and page: about 4.2 KB) took `ops` past 160 KiB: 166 KiB now.
 */
export const BUNDLE_BUDGET_BYTES = {
  list: 48 * 1024,
  show: 46 * 1024,
  ops: 166 * 1024,
  'notify-on-failure': 128 * 1024,
} as const satisfies Record<FunctionName, number>;
