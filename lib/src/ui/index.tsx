export { Layout, Nav, type LayoutProps, type NavLink } from "./layout.tsx";
export { PageHeader } from "./page-header.tsx";
export { Card } from "./card.tsx";
export { Button, type ButtonVariant, type ButtonSize } from "./button.tsx";
export { Table, Cell, type Column } from "./table.tsx";
export { Form, FormActions, Field, type FieldErrors } from "./form.tsx";
export { Alert, type AlertVariant } from "./alert.tsx";
export { Badge, type BadgeVariant } from "./badge.tsx";
export { Stat, StatGrid } from "./stat.tsx";
export { Pagination } from "./pagination.tsx";
export { Modal } from "./modal.tsx";
export { EmptyState } from "./empty-state.tsx";
export { Tabs, type TabLink } from "./tabs.tsx";
export { Toolbar, ToolbarGroup } from "./toolbar.tsx";
export { DescriptionList, type DescriptionItem } from "./description-list.tsx";
export { LogList, LogLine, type LogLineLevel } from "./log.tsx";
export {
  BarChart,
  LineChart,
  type BarDatum,
  type BarChartProps,
  type LineSeries,
  type LineChartProps,
} from "./chart.tsx";
export { Sparkline } from "./sparkline.tsx";
