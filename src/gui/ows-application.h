/* ows-application.h: the app with a window: one instance, its actions, the manager it serves.
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OWS_TYPE_APPLICATION (ows_application_get_type ())

G_DECLARE_FINAL_TYPE (OwsApplication, ows_application, OWS, APPLICATION, AdwApplication)

OwsApplication *ows_application_new (void);

G_END_DECLS
