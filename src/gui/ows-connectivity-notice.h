/* ows-connectivity-notice.h: a bar above the screens that says why the internet is out of reach.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "ows-connectivity.h"

G_BEGIN_DECLS

#define OWS_TYPE_CONNECTIVITY_NOTICE (ows_connectivity_notice_get_type ())

G_DECLARE_FINAL_TYPE (OwsConnectivityNotice, ows_connectivity_notice, OWS, CONNECTIVITY_NOTICE, AdwBin)

OwsConnectivityState ows_connectivity_notice_get_connectivity (OwsConnectivityNotice *self);
void                 ows_connectivity_notice_set_connectivity (OwsConnectivityNotice *self,
                                                               OwsConnectivityState   connectivity);
const char          *ows_connectivity_notice_get_portal_uri   (OwsConnectivityNotice *self);
void                 ows_connectivity_notice_set_portal_uri   (OwsConnectivityNotice *self,
                                                               const char            *portal_uri);
void                 ows_connectivity_notice_set_problem      (OwsConnectivityNotice *self,
                                                               const char            *problem);

G_END_DECLS
