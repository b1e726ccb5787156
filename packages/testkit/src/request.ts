import type { IncomingHttpHeaders } from 'node:http';

/** A request as the endpoint handlers see it: body already read. */
export interface ApiRequest {
  /** Upper-case method. */
  readonly method: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}
