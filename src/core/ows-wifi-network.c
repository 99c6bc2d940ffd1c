/* ows-wifi-network.c: one Wi-Fi network as the list shows it.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <NetworkManager.h>

#include "ows-enums.h"
#include "ows-wifi-network.h"

struct _OwsWifiNetwork
{
  GObject parent_instance;

  GBytes *ssid_bytes;        /* what NetworkManager matches on */
  char *ssid;                /* the same, made valid UTF-8 for people */
  guint strength;
  OwsWifiSecurity security;
  gboolean connected;
  gboolean saved;
};

G_DEFINE_FINAL_TYPE (OwsWifiNetwork, ows_wifi_network, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SSID,
  PROP_STRENGTH,
  PROP_SIGNAL_LEVEL,
  PROP_SECURITY,
  PROP_CONNECTED,
  PROP_SAVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ows_wifi_network_finalize (GObject *object)
{
  OwsWifiNetwork *self = OWS_WIFI_NETWORK (object);

  g_bytes_unref (self->ssid_bytes);
  g_free (self->ssid);
  G_OBJECT_CLASS (ows_wifi_network_parent_class)->finalize (object);
}

static void
ows_wifi_network_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OwsWifiNetwork *self = OWS_WIFI_NETWORK (object);

  switch (prop_id)
    {
    case PROP_SSID:
      g_value_set_string (value, self->ssid);
      break;
    case PROP_STRENGTH:
      g_value_set_uint (value, self->strength);
      break;
    case PROP_SIGNAL_LEVEL:
      g_value_set_uint (value, ows_wifi_network_get_signal_level (self));
      break;
    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_SAVED:
      g_value_set_boolean (value, self->saved);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_wifi_network_class_init (OwsWifiNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = ows_wifi_network_finalize;
  object_class->get_property = ows_wifi_network_get_property;

  properties[PROP_SSID] = g_param_spec_string ("ssid", NULL, NULL, NULL, flags);
  properties[PROP_STRENGTH] = g_param_spec_uint ("strength", NULL, NULL, 0, 100, 0, flags);
  properties[PROP_SIGNAL_LEVEL] = g_param_spec_uint ("signal-level", NULL, NULL, 1, 4, 1, flags);
  properties[PROP_SECURITY] = g_param_spec_enum ("security", NULL, NULL, OWS_TYPE_WIFI_SECURITY,
                                                 OWS_WIFI_SECURITY_NONE, flags);
  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, flags);
  properties[PROP_SAVED] = g_param_spec_boolean ("saved", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ows_wifi_network_init (OwsWifiNetwork *self)
{
}

OwsWifiNetwork *
ows_wifi_network_new (GBytes *ssid)
{
  OwsWifiNetwork *self;
  gsize len;
  const char *data;

  g_return_val_if_fail (ssid != NULL, NULL);

  self = g_object_new (OWS_TYPE_WIFI_NETWORK, NULL);
  self->ssid_bytes = g_bytes_ref (ssid);
  data = g_bytes_get_data (ssid, &len);
  /* Names are bytes on the air; most are UTF-8, the rest shown with U+FFFD. */
  self->ssid = g_utf8_make_valid (data, len);
  return self;
}

/* In place, notifying only what changed: a row bound to it keeps its focus. */
void
ows_wifi_network_update (OwsWifiNetwork  *self,
                         guint            strength,
                         OwsWifiSecurity  security,
                         gboolean         connected,
                         gboolean         saved)
{
  guint old_level;

  g_return_if_fail (OWS_IS_WIFI_NETWORK (self));

  g_object_freeze_notify (G_OBJECT (self));
  old_level = ows_wifi_network_get_signal_level (self);
  if (self->strength != MIN (strength, 100))
    {
      self->strength = MIN (strength, 100);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STRENGTH]);
      if (ows_wifi_network_get_signal_level (self) != old_level)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNAL_LEVEL]);
    }
  if (self->security != security)
    {
      self->security = security;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
    }
  if (self->connected != !!connected)
    {
      self->connected = !!connected;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
    }
  if (self->saved != !!saved)
    {
      self->saved = !!saved;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
ows_wifi_network_get_ssid (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), NULL);
  return self->ssid;
}

GBytes *
ows_wifi_network_get_ssid_bytes (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), NULL);
  return self->ssid_bytes;
}

guint
ows_wifi_network_get_strength (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), 0);
  return self->strength;
}

/* The four bars of GNOME's icons, at GNOME Settings' thresholds. */
guint
ows_wifi_network_get_signal_level (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), 1);

  if (self->strength > 80)
    return 4;
  if (self->strength > 55)
    return 3;
  if (self->strength > 30)
    return 2;
  return 1;
}

OwsWifiSecurity
ows_wifi_network_get_security (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), OWS_WIFI_SECURITY_NONE);
  return self->security;
}

gboolean
ows_wifi_network_get_connected (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), FALSE);
  return self->connected;
}

gboolean
ows_wifi_network_get_saved (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), FALSE);
  return self->saved;
}

gboolean
ows_wifi_network_is_supported (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), FALSE);
  return self->security != OWS_WIFI_SECURITY_ENTERPRISE &&
         self->security != OWS_WIFI_SECURITY_WEP;
}

gboolean
ows_wifi_network_needs_password (OwsWifiNetwork *self)
{
  g_return_val_if_fail (OWS_IS_WIFI_NETWORK (self), FALSE);
  return (self->security == OWS_WIFI_SECURITY_PERSONAL ||
          self->security == OWS_WIFI_SECURITY_SAE) && !self->saved;
}

/* NetworkManager's own rule (8 to 63 bytes, or 64 hexadecimal digits), so
 * that nothing it would refuse is ever sent. */
gboolean
ows_wifi_password_is_valid (OwsWifiSecurity  security,
                            const char      *password)
{
  switch (security)
    {
    case OWS_WIFI_SECURITY_NONE:
      return TRUE;
    case OWS_WIFI_SECURITY_PERSONAL:
    case OWS_WIFI_SECURITY_SAE:
      return password != NULL && g_utf8_validate (password, -1, NULL) &&
             nm_utils_wpa_psk_valid (password);
    case OWS_WIFI_SECURITY_ENTERPRISE:
    case OWS_WIFI_SECURITY_WEP:
    default:
      return FALSE;
    }
}
