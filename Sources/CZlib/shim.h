// zlib (Debian package zlib1g-dev), for the gzip compression of the downloads archive.
#include <zlib.h>
