/* ows-options.h: the command line shared by the headless program and the window.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean headless;
  gboolean embedded_bus;
  gboolean allow_remote_bus;
  gboolean kiosk;
  gboolean on_screen_keyboard;
  gboolean wifi_setup;
  gboolean version;
  char *bus_url;
} OwsOptions;

void     ows_options_add_to  (GApplication *app);
gboolean ows_options_read    (OwsOptions   *options,
                              GVariantDict *dict,
                              GError      **error);
void     ows_options_clear   (OwsOptions   *options);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OwsOptions, ows_options_clear)

G_END_DECLS
