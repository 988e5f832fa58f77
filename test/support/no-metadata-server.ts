// Tests never reach beyond loopback: stop google-auth-library / gcp-metadata from probing the
// GCE metadata server (169.254.169.254) when a client looks for a project or credentials.
process.env.METADATA_SERVER_DETECTION = 'none';
