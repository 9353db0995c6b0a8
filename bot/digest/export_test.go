package digest

// DigestContributions exposes contributions to the external tests.
var DigestContributions = contributions
