// The repository-name and registry-host rules of the OCI distribution spec, in
// the form distribution/reference (Docker, containerd, go-containerregistry)
// writes them. Each rule is its own predicate so a caller's message can name the
// part that broke it.

/** Source of one path component's grammar: lower-case alphanumerics joined by `.`, `_`, `__` or dashes. */
const PATH_COMPONENT_SOURCE = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';

/**
 * Source (no anchors) of the repository-name grammar: path components joined by
 * `/`, as in `team/app`. For building larger patterns such as route matchers.
 */
export const REPOSITORY_NAME_PATTERN = `${PATH_COMPONENT_SOURCE}(?:/${PATH_COMPONENT_SOURCE})*`;

/**
 * The longest name, registry included, the distribution spec lets a registry
 * accept (distribution/reference's `NameTotalLengthMax`).
 */
export const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT = new RegExp(`^${PATH_COMPONENT_SOURCE}$`);
const REPOSITORY_NAME = new RegExp(`^${REPOSITORY_NAME_PATTERN}$`);
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]{1,5}$/;

/** Whether `component` is one path component of a repository name (`app`, `my_team`, `a--b`). */
export function isPathComponent(component: string): boolean {
  return PATH_COMPONENT.test(component);
}

/**
 * Whether `name` is a repository path (`team/app`): path components joined by
 * `/`, without a registry host and without the length limit.
 */
export function isRepositoryPath(name: string): boolean {
  return REPOSITORY_NAME.test(name);
}

/** Whether `label` is one dot-separated label of a registry host name (`ghcr`, `my-registry`). */
export function isDomainComponent(label: string): boolean {
  return DOMAIN_COMPONENT.test(label);
}

/** Whether `host` is a bracketed IPv6 address as the reference grammar writes it (`[::1]`). */
export function isIpv6Host(host: string): boolean {
  return IPV6_HOST.test(host);
}

/**
 * Whether `port` is the digits of a registry port (one to five). The range is
 * the caller's to check: the grammar allows `0`, a URL does not.
 */
export function isPortDigits(port: string): boolean {
  return PORT.test(port);
}
