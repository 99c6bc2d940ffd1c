/* ows-locale.h: the catalogues and the text direction, for both GTK programs.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *ows_locale_dir           (void);
void        ows_locale_set_direction (void);

G_END_DECLS
