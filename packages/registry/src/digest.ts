import { digestProblem } from '@tagsmith/oci';

/**
 * Whether a `Docker-Content-Digest` value is a well-formed digest: the OCI
 * grammar, with the registered algorithms' encodings; an algorithm this client
 * does not know is the registry's business.
 */
export function isDigest(value: string): boolean {
  const problem = digestProblem(value);
  return problem === undefined || problem === 'unregistered-algorithm';
}
