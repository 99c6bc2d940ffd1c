/* ows-sign-in.h: a captive portal's sign-in page, in our sign-in program or else a browser.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  OWS_SIGN_IN_ONLINE,   /* signed in: the watchdog's question says online */
  OWS_SIGN_IN_CLOSED,   /* the user closed the sign-in window first */
  OWS_SIGN_IN_BROWSER,  /* handed to a browser: we will not know */
} OwsSignInResult;

#define OWS_SIGN_IN_ERROR (ows_sign_in_error_quark ())

typedef enum
{
  OWS_SIGN_IN_ERROR_NO_BROWSER,  /* nothing here could show the page */
} OwsSignInError;

GQuark          ows_sign_in_error_quark (void);
void            ows_sign_in_async       (GtkWindow           *parent,
                                         const char          *uri,
                                         const char          *check_url,
                                         const char          *check_text,
                                         gboolean             kiosk,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
OwsSignInResult ows_sign_in_finish      (GtkWindow           *parent,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
