/* ows-keyboard.h: an on-screen keyboard that types into the focused text field of its window.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Where the focus is no GtkEditable, a key emits "insert-text" (const char
 * *text), "delete-backward" or "activate-target" instead, each returning
 * TRUE when its handler typed it (a web page, in the sign-in window).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The order of the letters; the digit and symbol pages are the same in all. */
typedef enum
{
  OWS_KEYBOARD_LAYOUT_QWERTY,
  OWS_KEYBOARD_LAYOUT_QWERTZ,
  OWS_KEYBOARD_LAYOUT_AZERTY,
} OwsKeyboardLayout;

#define OWS_TYPE_KEYBOARD_LAYOUT (ows_keyboard_layout_get_type ())
GType ows_keyboard_layout_get_type (void) G_GNUC_CONST;

#define OWS_TYPE_KEYBOARD (ows_keyboard_get_type ())

G_DECLARE_FINAL_TYPE (OwsKeyboard, ows_keyboard, OWS, KEYBOARD, GtkWidget)

GtkWidget         *ows_keyboard_new                 (void);
OwsKeyboardLayout  ows_keyboard_get_layout          (OwsKeyboard       *self);
void               ows_keyboard_set_layout          (OwsKeyboard       *self,
                                                     OwsKeyboardLayout  layout);
void               ows_keyboard_set_language        (OwsKeyboard       *self,
                                                     const char        *language);
OwsKeyboardLayout  ows_keyboard_layout_for_language (const char        *language);
GtkWidget         *ows_keyboard_get_key             (OwsKeyboard       *self,
                                                     const char        *text);
gboolean           ows_keyboard_type                (OwsKeyboard       *self,
                                                     const char        *text);

G_END_DECLS
