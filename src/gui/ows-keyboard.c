/* ows-keyboard.c: an on-screen keyboard that types into the focused text field of its window.
 * SPDX-License-Identifier: Apache-2.0
 *
 * A kiosk under cage has neither a keyboard nor an input method, so a
 * Wi-Fi password needs keys of our own. The keys never take the focus: the
 * text field keeps it, and its cursor, and each key edits the field through
 * GtkEditable where the cursor is, as typing would. WPA passphrases are
 * printable ASCII (IEEE 802.11i), so the keys are exactly those: the
 * letters, and on two more pages the digits and all 32 symbols.
 *
 * Hide does not hide anything: it asks, with "hide-requested", and the
 * window decides (it shows the keyboard again when a text field is
 * focused).
 *
 * Where the focus is not a GtkEditable (a web page's text field lives in
 * WebKit's own process), a key says what it would do instead, with
 * "insert-text", "delete-backward" and "activate-target", for the window
 * to do it there.
 *
 * Each page is a grid of half-key columns, ten keys wide, so that the wide
 * keys (Shift, Backspace, Space) and the offset rows need no sizes in
 * pixels: the grid is homogeneous and shrinks to a phone's width. The order
 * is a Latin keyboard's, left to right, in right-to-left locales too.
 */
#define G_LOG_DOMAIN "ows-keyboard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ows-keyboard.h"

#define N_COLUMNS 20  /* ten keys of two half-key columns each */
#define KEY_SPAN 2

typedef enum
{
  KEY_CHAR,
  KEY_SHIFT,
  KEY_PAGE,
  KEY_SPACE,
  KEY_BACKSPACE,
  KEY_ENTER,
  KEY_HIDE,
} KeyKind;

typedef enum
{
  SHIFT_OFF,
  SHIFT_ONCE,    /* the next letter only */
  SHIFT_LOCKED,  /* a second tap: caps lock */
} ShiftState;

/* What a key does; on its button as "ows-key". */
typedef struct
{
  KeyKind kind;
  const char *id;    /* ows_keyboard_get_key()'s name of a special key */
  const char *page;  /* KEY_PAGE: the page it shows */
  char c;            /* KEY_CHAR: what it types, in lower case */
} Key;

typedef struct
{
  const char *id;
  KeyKind kind;
  const char *page;
  const char *label;      /* untranslated symbols; NULL: translated name, or icon */
  const char *icon_name;
  const char *name;       /* what screen readers say, NC_("keyboard key") */
} Special;

static const Special specials[] = {
  { "shift", KEY_SHIFT, NULL, NULL, "caps-lock-symbolic", NC_("keyboard key", "Shift") },
  { "backspace", KEY_BACKSPACE, NULL, NULL, "edit-clear-symbolic",
    NC_("keyboard key", "Backspace") },
  { "space", KEY_SPACE, NULL, "", NULL, NC_("keyboard key", "Space") },
  { "enter", KEY_ENTER, NULL, NULL, NULL, NC_("keyboard key", "Enter") },
  { "hide", KEY_HIDE, NULL, NULL, "input-keyboard-symbolic", NC_("keyboard key", "Hide Keyboard") },
  { "symbols", KEY_PAGE, "symbols", "?123", NULL, NC_("keyboard key", "Symbols") },
  { "more-symbols", KEY_PAGE, "more-symbols", "=\\<", NULL, NC_("keyboard key", "More Symbols") },
  { "letters", KEY_PAGE, "letters", "ABC", NULL, NC_("keyboard key", "Letters") },
};

/* Symbols by their spoken names: a screen reader would say nothing, or
 * "quote" for four different keys. */
static const struct
{
  char c;
  const char *name;
} symbol_names[] = {
  { '!', NC_("keyboard key", "Exclamation mark") },
  { '"', NC_("keyboard key", "Quotation mark") },
  { '#', NC_("keyboard key", "Number sign") },
  { '$', NC_("keyboard key", "Dollar sign") },
  { '%', NC_("keyboard key", "Percent sign") },
  { '&', NC_("keyboard key", "Ampersand") },
  { '\'', NC_("keyboard key", "Apostrophe") },
  { '(', NC_("keyboard key", "Left parenthesis") },
  { ')', NC_("keyboard key", "Right parenthesis") },
  { '*', NC_("keyboard key", "Asterisk") },
  { '+', NC_("keyboard key", "Plus sign") },
  { ',', NC_("keyboard key", "Comma") },
  { '-', NC_("keyboard key", "Hyphen-minus") },
  { '.', NC_("keyboard key", "Full stop") },
  { '/', NC_("keyboard key", "Slash") },
  { ':', NC_("keyboard key", "Colon") },
  { ';', NC_("keyboard key", "Semicolon") },
  { '<', NC_("keyboard key", "Less-than sign") },
  { '=', NC_("keyboard key", "Equals sign") },
  { '>', NC_("keyboard key", "Greater-than sign") },
  { '?', NC_("keyboard key", "Question mark") },
  { '@', NC_("keyboard key", "At sign") },
  { '[', NC_("keyboard key", "Left square bracket") },
  { '\\', NC_("keyboard key", "Backslash") },
  { ']', NC_("keyboard key", "Right square bracket") },
  { '^', NC_("keyboard key", "Circumflex accent") },
  { '_', NC_("keyboard key", "Underscore") },
  { '`', NC_("keyboard key", "Grave accent") },
  { '{', NC_("keyboard key", "Left curly bracket") },
  { '|', NC_("keyboard key", "Vertical bar") },
  { '}', NC_("keyboard key", "Right curly bracket") },
  { '~', NC_("keyboard key", "Tilde") },
};

/* The top three rows of each page; the bottom row is the same on all. */
static const char * const letter_rows[][3] = {
  [OWS_KEYBOARD_LAYOUT_QWERTY] = { "qwertyuiop", "asdfghjkl", "zxcvbnm" },
  [OWS_KEYBOARD_LAYOUT_QWERTZ] = { "qwertzuiop", "asdfghjkl", "yxcvbnm" },
  [OWS_KEYBOARD_LAYOUT_AZERTY] = { "azertyuiop", "qsdfghjklm", "wxcvbn" },
};
static const char * const symbol_rows[3] = { "1234567890", "@#$_&-+()/", "*\"':;!?" };
static const char * const more_symbol_rows[3] = { "1234567890", "~`|\\^={}[]", "%<>" };
/* On the bottom row of every page. */
static const char bottom_chars[] = ",.";

struct _OwsKeyboard
{
  GtkWidget parent_instance;

  OwsKeyboardLayout layout;
  ShiftState shift;

  GtkStack *pages;
  GtkGrid *letters;
  GtkGrid *symbols;
  GtkGrid *more_symbols;
};

enum {
  PROP_0,
  PROP_LAYOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  HIDE_REQUESTED,
  INSERT_TEXT,
  DELETE_BACKWARD,
  ACTIVATE_TARGET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (OwsKeyboardLayout, ows_keyboard_layout,
  G_DEFINE_ENUM_VALUE (OWS_KEYBOARD_LAYOUT_QWERTY, "qwerty"),
  G_DEFINE_ENUM_VALUE (OWS_KEYBOARD_LAYOUT_QWERTZ, "qwertz"),
  G_DEFINE_ENUM_VALUE (OWS_KEYBOARD_LAYOUT_AZERTY, "azerty"))

G_DEFINE_FINAL_TYPE (OwsKeyboard, ows_keyboard, GTK_TYPE_WIDGET)

static const Key *
key_of (GtkWidget *button)
{
  return g_object_get_data (G_OBJECT (button), "ows-key");
}

static const char *
symbol_name (char c)
{
  for (guint i = 0; i < G_N_ELEMENTS (symbol_names); i++)
    if (symbol_names[i].c == c)
      return g_dpgettext2 (NULL, "keyboard key", symbol_names[i].name);
  return NULL;
}

/* The text field the keys type into: the focus of the window, if it takes text. */
static GtkEditable *
get_target (OwsKeyboard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (!GTK_IS_EDITABLE (focus) || !gtk_editable_get_editable (GTK_EDITABLE (focus)))
    return NULL;
  return GTK_EDITABLE (focus);
}

/* No GtkEditable to type into: whoever hosts the keyboard may take the key. */
static void
emit_untargeted (OwsKeyboard *self,
                 guint        signal_id,
                 const char  *text)
{
  gboolean handled = FALSE;

  if (text != NULL)
    g_signal_emit (self, signals[signal_id], 0, text, &handled);
  else
    g_signal_emit (self, signals[signal_id], 0, &handled);
  if (!handled)
    g_debug ("A key was tapped with no editable text field focused");
}

static void
insert_text (OwsKeyboard *self,
             const char  *text)
{
  GtkEditable *editable = get_target (self);
  int position;

  if (editable == NULL)
    {
      emit_untargeted (self, INSERT_TEXT, text);
      return;
    }
  gtk_editable_delete_selection (editable);
  position = gtk_editable_get_position (editable);
  gtk_editable_insert_text (editable, text, -1, &position);
  /* A cursor at the insertion point stays before the new text otherwise. */
  gtk_editable_set_position (editable, position);
}

/* Positions count characters, not bytes: one tap, one character. */
static void
backspace (OwsKeyboard *self)
{
  GtkEditable *editable = get_target (self);
  int position;

  if (editable == NULL)
    {
      emit_untargeted (self, DELETE_BACKWARD, NULL);
      return;
    }
  if (gtk_editable_get_selection_bounds (editable, NULL, NULL))
    {
      gtk_editable_delete_selection (editable);
      return;
    }
  position = gtk_editable_get_position (editable);
  if (position > 0)
    gtk_editable_delete_text (editable, position - 1, position);
}

/* As the Return key would: GtkText binds it to its "activate" signal,
 * which, with activates-default, runs the page's default action. GtkText
 * (4.8) has no activate-signal for gtk_widget_activate(). */
static void
enter (OwsKeyboard *self)
{
  GtkEditable *editable = get_target (self);
  GSignalQuery query = { 0 };

  if (editable == NULL)
    {
      emit_untargeted (self, ACTIVATE_TARGET, NULL);
      return;
    }
  if (gtk_widget_activate (GTK_WIDGET (editable)))
    return;
  g_signal_query (g_signal_lookup ("activate", G_OBJECT_TYPE (editable)), &query);
  if (query.signal_id != 0 && query.n_params == 0 && query.return_type == G_TYPE_NONE)
    g_signal_emit (editable, query.signal_id, 0);
}

static void
sync_letter (OwsKeyboard *self,
             GtkWidget   *button)
{
  const Key *key = key_of (button);
  char text[2] = { key->c, '\0' };

  if (self->shift != SHIFT_OFF)
    text[0] = g_ascii_toupper (key->c);
  gtk_label_set_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
}

static void
sync_shift_key (OwsKeyboard *self,
                GtkWidget   *button)
{
  if (self->shift != SHIFT_OFF)
    gtk_widget_add_css_class (button, "latched");
  else
    gtk_widget_remove_css_class (button, "latched");
  if (self->shift == SHIFT_LOCKED)
    {
      gtk_widget_add_css_class (button, "locked");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Caps lock"),
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (button, "locked");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (button),
                               GTK_ACCESSIBLE_STATE_PRESSED,
                               self->shift != SHIFT_OFF ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                                        : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

/* Shift only changes the letters page. */
static void
sync_shift (OwsKeyboard *self)
{
  for (GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (self->letters));
       button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      const Key *key = key_of (button);

      if (key->kind == KEY_SHIFT)
        sync_shift_key (self, button);
      else if (key->kind == KEY_CHAR && g_ascii_isalpha (key->c))
        sync_letter (self, button);
    }
}

static void
set_shift (OwsKeyboard *self,
           ShiftState   shift)
{
  if (self->shift == shift)
    return;
  self->shift = shift;
  sync_shift (self);
}

static void
type_char (OwsKeyboard *self,
           char         c)
{
  char text[2] = { c, '\0' };

  if (g_ascii_isalpha (c) && self->shift != SHIFT_OFF)
    text[0] = g_ascii_toupper (c);
  insert_text (self, text);
  if (g_ascii_isalpha (c) && self->shift == SHIFT_ONCE)
    set_shift (self, SHIFT_OFF);
}

static void
key_clicked_cb (GtkButton   *button,
                OwsKeyboard *self)
{
  const Key *key = key_of (GTK_WIDGET (button));

  switch (key->kind)
    {
    case KEY_CHAR:
      type_char (self, key->c);
      break;
    case KEY_SPACE:
      insert_text (self, " ");
      break;
    case KEY_SHIFT:
      set_shift (self, (self->shift + 1) % (SHIFT_LOCKED + 1));
      break;
    case KEY_PAGE:
      gtk_stack_set_visible_child_name (self->pages, key->page);
      break;
    case KEY_BACKSPACE:
      backspace (self);
      break;
    case KEY_ENTER:
      enter (self);
      break;
    case KEY_HIDE:
      g_signal_emit (self, signals[HIDE_REQUESTED], 0);
      break;
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
label_new (const char *text)
{
  /* The button's accessible label names the key; its label is not read twice. */
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);

  /* A word may shorten on a phone's narrow keys, never widen the keyboard. */
  if (g_utf8_strlen (text, -1) > 1)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  return label;
}

static GtkWidget *
image_new (const char *icon_name)
{
  return g_object_new (GTK_TYPE_IMAGE,
                       "icon-name", icon_name,
                       "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                       NULL);
}

/* Hide: a keyboard over a downward chevron, as GNOME's own keyboard shows it. */
static GtkWidget *
hide_icon_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *chevron = image_new ("pan-down-symbolic");

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), image_new ("input-keyboard-symbolic"));
  gtk_widget_add_css_class (chevron, "ows-key-chevron");
  gtk_box_append (GTK_BOX (box), chevron);
  return box;
}

/* GTK 4 widgets do not inherit a direction: "?123" would read "123?", and
 * Backspace point right, in a right-to-left locale. */
static void
set_ltr (GtkWidget *widget)
{
  gtk_widget_set_direction (widget, GTK_TEXT_DIR_LTR);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_ltr (child);
}

static GtkWidget *
key_new (OwsKeyboard *self,
         const Key   *key,
         GtkWidget   *child,
         const char  *name)
{
  GtkWidget *button = gtk_button_new ();

  /* The text field keeps the focus, and with it the cursor and selection. */
  gtk_widget_set_focusable (button, FALSE);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_add_css_class (button, "ows-key");
  gtk_button_set_child (GTK_BUTTON (button), child);
  set_ltr (button);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "ows-key", g_memdup2 (key, sizeof *key), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (key_clicked_cb), self);
  return button;
}

static void
add_special (OwsKeyboard *self,
             GtkGrid     *grid,
             const char  *id,
             int          column,
             int          row,
             int          span)
{
  const Special *special = NULL;
  const char *name;
  GtkWidget *child, *button;
  Key key = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (specials) && special == NULL; i++)
    if (strcmp (specials[i].id, id) == 0)
      special = &specials[i];
  g_assert (special != NULL);

  name = g_dpgettext2 (NULL, "keyboard key", special->name);
  if (special->kind == KEY_HIDE)
    child = hide_icon_new ();
  else if (special->icon_name != NULL)
    child = image_new (special->icon_name);
  else
    child = label_new (special->label != NULL ? special->label : name);

  key.kind = special->kind;
  key.id = special->id;
  key.page = special->page;
  button = key_new (self, &key, child, name);
  gtk_widget_add_css_class (button, "ows-key-special");
  if (special->kind == KEY_ENTER)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_grid_attach (grid, button, column, row, span, 1);
}

static void
add_char (OwsKeyboard *self,
          GtkGrid     *grid,
          char         c,
          int          column,
          int          row)
{
  char text[2] = { c, '\0' };
  const char *name = symbol_name (c);
  Key key = { KEY_CHAR, NULL, NULL, c };

  gtk_grid_attach (grid, key_new (self, &key, label_new (text), name != NULL ? name : text),
                   column, row, KEY_SPAN, 1);
}

/* @chars centred within @n_columns half-key columns from @first. */
static void
add_chars (OwsKeyboard *self,
           GtkGrid     *grid,
           const char  *chars,
           int          row,
           int          first,
           int          n_columns)
{
  int n = strlen (chars);
  int column = first + (n_columns - n * KEY_SPAN) / 2;

  for (int i = 0; i < n; i++, column += KEY_SPAN)
    add_char (self, grid, chars[i], column, row);
}

/* Three rows of @rows, Shift or another page's key before the third, and
 * the bottom row with @page_key first. */
static void
fill_page (OwsKeyboard       *self,
           GtkGrid           *grid,
           const char * const rows[3],
           const char        *row3_key,
           const char        *page_key)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);

  add_chars (self, grid, rows[0], 0, 0, N_COLUMNS);
  add_chars (self, grid, rows[1], 1, 0, N_COLUMNS);
  add_special (self, grid, row3_key, 0, 2, 3);
  add_chars (self, grid, rows[2], 2, 3, N_COLUMNS - 6);
  add_special (self, grid, "backspace", N_COLUMNS - 3, 2, 3);

  add_special (self, grid, page_key, 0, 3, 3);
  add_special (self, grid, "hide", 3, 3, 2);
  add_char (self, grid, bottom_chars[0], 5, 3);
  add_special (self, grid, "space", 7, 3, 7);
  add_char (self, grid, bottom_chars[1], 14, 3);
  /* Room for its word, on a phone too. */
  add_special (self, grid, "enter", 16, 3, 4);
}

static void
fill_letters (OwsKeyboard *self)
{
  fill_page (self, self->letters, letter_rows[self->layout], "shift", "symbols");
  sync_shift (self);
}

/* The next time it shows, it starts afresh, as a hardware keyboard's text field would. */
static void
ows_keyboard_unmap (GtkWidget *widget)
{
  OwsKeyboard *self = OWS_KEYBOARD (widget);

  GTK_WIDGET_CLASS (ows_keyboard_parent_class)->unmap (widget);
  set_shift (self, SHIFT_OFF);
  gtk_stack_set_visible_child_name (self->pages, "letters");
}

static void
ows_keyboard_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OWS_TYPE_KEYBOARD);

  G_OBJECT_CLASS (ows_keyboard_parent_class)->dispose (object);
}

static void
ows_keyboard_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OwsKeyboard *self = OWS_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      g_value_set_enum (value, self->layout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_keyboard_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  OwsKeyboard *self = OWS_KEYBOARD (object);

  switch (prop_id)
    {
    case PROP_LAYOUT:
      ows_keyboard_set_layout (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ows_keyboard_class_init (OwsKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ows_keyboard_dispose;
  object_class->get_property = ows_keyboard_get_property;
  object_class->set_property = ows_keyboard_set_property;
  widget_class->unmap = ows_keyboard_unmap;

  /* The order of the letters; by default the user's language's. */
  properties[PROP_LAYOUT] =
    g_param_spec_enum ("layout", NULL, NULL,
                       OWS_TYPE_KEYBOARD_LAYOUT, OWS_KEYBOARD_LAYOUT_QWERTY,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The Hide key was tapped: the window hides the keyboard, until the next
   * text field has the focus. */
  signals[HIDE_REQUESTED] =
    g_signal_new ("hide-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* A key was tapped with no GtkEditable focused: a handler that returns
   * TRUE typed @text where its own focus is (at its caret, replacing its
   * selection). Nobody handling it, the key does nothing, as before. */
  signals[INSERT_TEXT] =
    g_signal_new ("insert-text",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  /* As "insert-text", for Backspace: one character before the caret, or the selection. */
  signals[DELETE_BACKWARD] =
    g_signal_new ("delete-backward",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 0);

  /* As "insert-text", for Enter: what the Return key would do there. */
  signals[ACTIVATE_TARGET] =
    g_signal_new ("activate-target",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openvoiceos/WifiSetup/ows-keyboard.ui");
  gtk_widget_class_bind_template_child (widget_class, OwsKeyboard, pages);
  gtk_widget_class_bind_template_child (widget_class, OwsKeyboard, letters);
  gtk_widget_class_bind_template_child (widget_class, OwsKeyboard, symbols);
  gtk_widget_class_bind_template_child (widget_class, OwsKeyboard, more_symbols);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "keyboard");
}

static void
ows_keyboard_init (OwsKeyboard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Vertical: the pages take the keyboard's whole width. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("On-screen keyboard"),
                                  -1);

  gtk_widget_set_direction (GTK_WIDGET (self->letters), GTK_TEXT_DIR_LTR);
  gtk_widget_set_direction (GTK_WIDGET (self->symbols), GTK_TEXT_DIR_LTR);
  gtk_widget_set_direction (GTK_WIDGET (self->more_symbols), GTK_TEXT_DIR_LTR);
  self->layout = ows_keyboard_layout_for_language (NULL);
  fill_letters (self);
  fill_page (self, self->symbols, symbol_rows, "more-symbols", "letters");
  fill_page (self, self->more_symbols, more_symbol_rows, "symbols", "letters");
}

GtkWidget *
ows_keyboard_new (void)
{
  return g_object_new (OWS_TYPE_KEYBOARD, NULL);
}

OwsKeyboardLayout
ows_keyboard_get_layout (OwsKeyboard *self)
{
  g_return_val_if_fail (OWS_IS_KEYBOARD (self), OWS_KEYBOARD_LAYOUT_QWERTY);
  return self->layout;
}

void
ows_keyboard_set_layout (OwsKeyboard       *self,
                         OwsKeyboardLayout  layout)
{
  g_return_if_fail (OWS_IS_KEYBOARD (self));
  g_return_if_fail (layout <= OWS_KEYBOARD_LAYOUT_AZERTY);

  if (self->layout == layout)
    return;
  self->layout = layout;
  fill_letters (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
}

/* @language: a locale name ("de", "de_DE.UTF-8", "fr-CA"), or NULL for the
 * user's first language. */
void
ows_keyboard_set_language (OwsKeyboard *self,
                           const char  *language)
{
  g_return_if_fail (OWS_IS_KEYBOARD (self));

  ows_keyboard_set_layout (self, ows_keyboard_layout_for_language (language));
}

/* Where the country's keyboards differ from the language's. */
static const struct
{
  const char *locale;  /* language, or language_TERRITORY */
  OwsKeyboardLayout layout;
} layouts[] = {
  { "fr_CA", OWS_KEYBOARD_LAYOUT_QWERTY },
  { "fr_CH", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "nl_BE", OWS_KEYBOARD_LAYOUT_AZERTY },
  { "de", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "fr", OWS_KEYBOARD_LAYOUT_AZERTY },
  { "lb", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "cs", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "sk", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "hu", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "sl", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "hr", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "bs", OWS_KEYBOARD_LAYOUT_QWERTZ },
  { "sq", OWS_KEYBOARD_LAYOUT_QWERTZ },
};

/* The letters' order that people of @language know, QWERTY where none is
 * known. @language as for ows_keyboard_set_language(). */
OwsKeyboardLayout
ows_keyboard_layout_for_language (const char *language)
{
  g_autofree char *lang = NULL;
  g_autofree char *territory = NULL;
  g_autofree char *lang_territory = NULL;
  size_t n_lang;

  if (language == NULL)
    language = g_get_language_names ()[0];
  n_lang = strcspn (language, "_-.@");
  lang = g_ascii_strdown (language, n_lang);
  if (language[n_lang] == '_' || language[n_lang] == '-')
    territory = g_ascii_strup (language + n_lang + 1, strcspn (language + n_lang + 1, ".@"));
  lang_territory = g_strconcat (lang, "_", territory, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    if (strcmp (layouts[i].locale, lang_territory) == 0)
      return layouts[i].layout;
  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    if (strcmp (layouts[i].locale, lang) == 0)
      return layouts[i].layout;
  return OWS_KEYBOARD_LAYOUT_QWERTY;
}

/* @text: what a key shows ("a", "A" while shifted, "!"), or a special key's
 * name: "shift", "symbols", "more-symbols", "letters", "space",
 * "backspace", "enter", "hide". Only the page on screen is searched. */
GtkWidget *
ows_keyboard_get_key (OwsKeyboard *self,
                      const char  *text)
{
  GtkWidget *page;

  g_return_val_if_fail (OWS_IS_KEYBOARD (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  page = gtk_stack_get_visible_child (self->pages);
  for (GtkWidget *button = gtk_widget_get_first_child (page);
       button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      const Key *key = key_of (button);

      if (key->kind != KEY_CHAR ? strcmp (key->id, text) == 0
          : strcmp (gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)))),
                    text) == 0)
        return button;
    }
  return NULL;
}

static void
press (OwsKeyboard *self,
       const char  *text)
{
  GtkWidget *key = ows_keyboard_get_key (self, text);

  g_assert (key != NULL);
  g_signal_emit_by_name (key, "clicked");
}

static gboolean
has_key (char c)
{
  if (g_ascii_isalpha (c) || c == ' ' || strchr (bottom_chars, c) != NULL)
    return TRUE;
  for (guint i = 0; i < 3; i++)
    if (strchr (symbol_rows[i], c) != NULL || strchr (more_symbol_rows[i], c) != NULL)
      return TRUE;
  return FALSE;
}

/* The page of a key that is not on the page on screen. */
static void
show_page_for (OwsKeyboard *self,
               char         c)
{
  const char *page = gtk_stack_get_visible_child_name (self->pages);

  if (g_ascii_isalpha (c))
    {
      if (strcmp (page, "letters") != 0)
        press (self, "letters");
      return;
    }
  if (strcmp (page, "letters") == 0)
    press (self, "symbols");
  else if (strcmp (page, "symbols") == 0)
    press (self, "more-symbols");
  else
    press (self, "symbols");
}

/* Types @text with the keys, as a person would: changing pages and
 * tapping Shift as needed, each key through its button's "clicked".
 * Returns FALSE, having typed nothing, if a character of @text has no key. */
gboolean
ows_keyboard_type (OwsKeyboard *self,
                   const char  *text)
{
  g_return_val_if_fail (OWS_IS_KEYBOARD (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p != '\0'; p++)
    if (!has_key (*p))
      return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      char shown[2] = { *p, '\0' };
      GtkWidget *key;
      guint n_presses = 0;

      if (*p == ' ')
        {
          press (self, "space");
          continue;
        }
      while ((key = ows_keyboard_get_key (self, shown)) == NULL)
        {
          /* Two pages on, or the letters and Shift twice (from once to off). */
          g_assert (++n_presses <= 3);
          if (g_ascii_isalpha (*p) && strcmp (gtk_stack_get_visible_child_name (self->pages),
                                               "letters") == 0)
            press (self, "shift");
          else
            show_page_for (self, *p);
        }
      g_signal_emit_by_name (key, "clicked");
    }
  return TRUE;
}
