// The web layer: the layout and page context, forms, assets and the HTML reply. It sits above the platform
// and below the privacy engine and the features; it knows nothing of either.
export { pageContext, safeBackPath, webPlugin, type Site } from './context.ts';
export { csrfField, errorSummary, fieldId, formBody, formText, type FieldErrors, type FieldLabels } from './forms.ts';
export { errorPage, layout, type PageContext } from './layout.ts';
export type { NavLink } from './navigation.ts';
export { sendPage } from './reply.ts';
export { addLayoutSlot, type LayoutSlot, type SlotContent } from './slots.ts';
export { intoMemory, readUpload, type IncomingFile, type UploadRefusals } from './upload.ts';
