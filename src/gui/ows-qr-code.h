/* ows-qr-code.h: a QR code of a string, drawn black on white; and the Wi-Fi join string.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OWS_TYPE_QR_CODE (ows_qr_code_get_type ())

G_DECLARE_FINAL_TYPE (OwsQrCode, ows_qr_code, OWS, QR_CODE, GtkWidget)

GtkWidget  *ows_qr_code_new       (void);
const char *ows_qr_code_get_text  (OwsQrCode  *self);
void        ows_qr_code_set_text  (OwsQrCode  *self,
                                   const char *text);
char       *ows_qr_code_wifi_text (const char *ssid,
                                   const char *password,
                                   gboolean    hidden);

G_END_DECLS
