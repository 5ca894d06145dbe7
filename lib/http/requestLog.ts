/** The one structured line logged per request. Holds no header, query value or secret. */
export interface RequestLogLine {
  readonly level: 'info' | 'error';
  readonly msg: 'request';
  readonly route: string;
  readonly method: string;
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string;
  readonly upstreamRequestIds: readonly string[];
  readonly event: string;
  /**
   * The API gateway's own request id, when it sent one of safe characters (on FunctionGraph, the same
   * as `requestId`).
   */
  readonly gatewayRequestId?: string;
  readonly errorCode?: string;
  readonly error?: string;
  /** Pages read upstream (`list` with `all=true`). */
  readonly upstreamPages?: number;
  /** DMS calls made (the fleet page). */
  readonly upstreamCalls?: number;
}

export type LogSink = (line: string) => void;

export const consoleSink: LogSink = (line) => {
  console.log(line);
};
