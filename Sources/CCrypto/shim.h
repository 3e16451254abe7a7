// libcrypto from OpenSSL (Debian package libssl-dev), for SHA-256 only: input fingerprints, release
// manifests and the digest a reviewer approves a redacted quote by.
#include <openssl/evp.h>
