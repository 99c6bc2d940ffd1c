/* placeholder */
#include "ows-test-peer.h"
