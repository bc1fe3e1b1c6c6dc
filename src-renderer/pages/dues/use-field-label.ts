import { useTranslation } from 'react-i18next';

/**
 * A field name from the core in words: the import's own fields, else a member's (shared with the member screens);
 * a name neither knows is shown as is.
 */
export function useFieldLabel(): (field: string) => string {
  const { t, i18n } = useTranslation();
  return (field) => {
    for (const key of [`imports.fields.${field}`, `members.fields.${field}`]) if (i18n.exists(key)) return t(key);
    return field;
  };
}
