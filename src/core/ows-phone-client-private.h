/* ows-phone-client-private.h: what tests set in the phone setup client.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "ows-phone-client.h"

G_BEGIN_DECLS

/* The page on @address (and for its peers) rather than the hotspot's own:
 * the mock NetworkManager's hotspot has no address on this machine. */
void ows_phone_client_set_test_address (OwsPhoneClient *self,
                                        const char     *address);

G_END_DECLS
