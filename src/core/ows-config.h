/* ows-config.h: OVOS's layered mycroft.conf, read and patched (PROTOCOL.md section 6).
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OWS_CONFIG_ERROR (ows_config_error_quark ())

typedef enum
{
  OWS_CONFIG_ERROR_USER_FILE_CORRUPT,  /* the user file exists but does not parse: not overwritten */
  OWS_CONFIG_ERROR_WRITE,              /* the user file or its directory cannot be written */
} OwsConfigError;

/* The plugin's own section: PHAL."ovos-PHAL-plugin-wifi-setup". */
#define OWS_CONFIG_PLUGIN_SECTION "PHAL/ovos-PHAL-plugin-wifi-setup"

#define OWS_TYPE_CONFIG (ows_config_get_type ())

G_DECLARE_FINAL_TYPE (OwsConfig, ows_config, OWS, CONFIG, GObject)

/* Nodes and strings the getters return are borrowed from the merged view:
 * valid until the next ows_config_load (); override and persist patch only
 * their own key. Values passed to override and persist are copied
 * (transfer none). A NULL section is the root; a NULL key in lookup returns
 * the section itself. */
GQuark       ows_config_error_quark     (void);
OwsConfig   *ows_config_new             (void);
OwsConfig   *ows_config_new_sandboxed   (const char  *host_root);
void         ows_config_load            (OwsConfig   *self);
JsonObject  *ows_config_get_root        (OwsConfig   *self);
const char  *ows_config_get_user_path   (OwsConfig   *self);

JsonNode    *ows_config_lookup          (OwsConfig   *self,
                                         const char  *section,
                                         const char  *key);
const char  *ows_config_get_string      (OwsConfig   *self,
                                         const char  *section,
                                         const char  *key,
                                         const char  *fallback);
gint64       ows_config_get_int         (OwsConfig   *self,
                                         const char  *section,
                                         const char  *key,
                                         gint64       fallback);
double       ows_config_get_double      (OwsConfig   *self,
                                         const char  *section,
                                         const char  *key,
                                         double       fallback);
gboolean     ows_config_get_boolean     (OwsConfig   *self,
                                         const char  *section,
                                         const char  *key,
                                         gboolean     fallback);

void         ows_config_override        (OwsConfig   *self,
                                         const char  *section,
                                         const char  *key,
                                         JsonNode    *value);
gboolean     ows_config_persist         (OwsConfig   *self,
                                         const char  *section,
                                         const char  *key,
                                         JsonNode    *value,
                                         GError     **error);

char        *ows_config_dup_bus_url     (OwsConfig   *self);
gsize        ows_config_get_max_msg_size (OwsConfig  *self);

G_END_DECLS
