/* ows-phone-page.h: the screen while the device is set up from a phone, over its own hotspot.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  OWS_PHONE_PAGE_PREPARING,   /* looking for networks, then starting the hotspot */
  OWS_PHONE_PAGE_WAITING,     /* the hotspot is up: QR code, network name, password, the steps */
  OWS_PHONE_PAGE_CONNECTING,  /* the person chose a network; the phone loses the hotspot */
  OWS_PHONE_PAGE_RETRY,       /* that failed and the hotspot is back: why, then the steps */
} OwsPhonePageStatus;

#define OWS_TYPE_PHONE_PAGE (ows_phone_page_get_type ())

G_DECLARE_FINAL_TYPE (OwsPhonePage, ows_phone_page, OWS, PHONE_PAGE, AdwBin)

GtkWidget *ows_phone_page_new          (void);
void       ows_phone_page_set_hotspot  (OwsPhonePage       *self,
                                        const char         *ssid,
                                        const char         *password,
                                        const char         *url);
void       ows_phone_page_set_status   (OwsPhonePage       *self,
                                        OwsPhonePageStatus  status,
                                        const char         *sentence);

G_END_DECLS
